"""Rules across fields, references, uncertain dates, filters and identity fields in the API."""

import uuid

from vigil.core.context import change_context
from vigil.records.models import Act, Case, Organisation, Person, Source, Term


def _ids(response):
    return {item["id"] for item in response.json()["items"]}


def _court(users, name="Fictional Regional Court"):
    with change_context("test", actor=users["admin"]):
        court = Organisation(display_name=name, kind_id=Term.pk_for("organisation_kind", "court"))
        court.save()
    return court


def _trial(world, court, **extra):
    return {
        "event": str(world.arrest.event_id),
        "act_type": "sentence",
        "victim_person": str(world.lawyer.pk),
        "date_text": "March 2022",
        "place": str(court.pk),
        "sentence_months": 36,
        "sentence_regime": "general_colony",
        "sentence_text": "3 years (fictional)",
        "charges": [{"article": "342", "part": "1", "text_as_written": "Fictional wording"}],
        "perpetrators": [{"perpetrator_person": str(world.judge.pk), "role": "judge"}],
        "counsel": [{"lawyer": str(world.judge.pk)}],
        **extra,
    }


def test_a_sentence_with_charge_judge_and_counsel_is_recorded_in_one_call(api, world, users):
    court = _court(users)
    response = api.call("POST", "/acts", "documenter", _trial(world, court))
    assert response.status_code == 201, response.content
    act = response.json()
    assert (act["date"], act["date_precision"]) == ("2022-03-01", "month")
    assert act["sentence_months"] == 36.0 and act["sentence_regime"]["key"] == "general_colony"
    assert act["place"]["name"] == "Fictional Regional Court"
    assert act["charges"][0]["provision"] == "Part 1 of Art. 342 CC"
    assert [(p["role"]["key"], p["person"]["name"]) for p in act["perpetrators"]] == [
        ("judge", "Iudex Fictus")
    ]
    assert [c["name"] for c in act["counsel"]] == ["Iudex Fictus"]
    timeline = api.get(f"/persons/{world.lawyer.pk}", role="documenter").json()["timeline"]
    assert act["id"] in {a["id"] for a in timeline}


def test_a_failing_nested_row_leaves_nothing_behind(api, world, users):
    body = _trial(
        world,
        _court(users),
        perpetrators=[{"perpetrator_person": str(world.judge.pk), "role": "no-such-role"}],
    )
    before = Act.all_objects.count()
    response = api.call("POST", "/acts", "documenter", body)
    assert response.status_code == 404
    assert response.json()["detail"][0]["loc"] == ["body", "perpetrators.0.role"]
    assert Act.all_objects.count() == before


def test_an_act_with_two_victims_is_refused_naming_the_field(api, world):
    body = {
        "event": str(world.arrest.event_id),
        "act_type": "arrest",
        "victim_person": str(world.lawyer.pk),
        "victim_organisation": str(world.state_silent.pk),
    }
    response = api.call("POST", "/acts", "admin", body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "victim_organisation"


def test_unknown_vocabulary_key_and_bad_date_text_name_their_fields(api, world):
    event = str(world.arrest.event_id)
    wrong_type = api.call("POST", "/acts", "admin", {"event": event, "act_type": "teleport"})
    assert wrong_type.status_code == 404
    assert wrong_type.json()["detail"][0]["loc"][-1] == "act_type"
    bad_date = api.call("POST", "/events", "admin", {"title": "Fictional", "date_text": "soon"})
    assert bad_date.status_code == 422
    assert bad_date.json()["detail"][0]["loc"][-1] == "date_text"


def test_a_hidden_reference_is_refused_like_a_missing_one(api, world):
    event = str(world.arrest.event_id)
    hidden = {"event": event, "act_type": "arrest", "victim_person": str(world.hidden_lawyer.pk)}
    missing = {**hidden, "victim_person": str(uuid.uuid4())}
    first = api.call("POST", "/acts", "documenter", hidden)
    second = api.call("POST", "/acts", "documenter", missing)
    assert first.status_code == second.status_code == 404
    assert first.json() == second.json()
    assert first.json()["detail"][0]["loc"] == ["body", "victim_person"]


def test_uncertain_dates_are_stored_at_their_precision(api, db):
    year = api.call("POST", "/events", "admin", {"title": "Fictional", "date_text": "2011"})
    assert (year.json()["date"], year.json()["date_precision"]) == ("2011-01-01", "year")
    assert year.json()["date_display"] == "2011"
    none = api.call("POST", "/events", "admin", {"title": "Fictional undated"})
    assert (none.json()["date"], none.json()["date_precision"]) == (None, "unknown")


def test_act_filters_by_provision_article_court_and_confidentiality(api, world, users):
    court = _court(users)
    act = api.call("POST", "/acts", "admin", _trial(world, court)).json()
    provision = act["charges"][0]["provision_id"]
    assert _ids(api.get("/acts", provision=provision)) == {act["id"]}
    assert _ids(api.get("/acts", article="342")) == {act["id"]}
    assert _ids(api.get("/acts", court=str(court.pk))) == {act["id"]}
    assert _ids(api.get("/acts", court=str(uuid.uuid4()))) == set()
    restricted = _ids(api.get("/acts", confidentiality="restricted"))
    assert restricted == {str(world.hidden_arrest.pk)}


def test_person_filters_by_role_act_type_provision_and_confidentiality(api, world):
    # "role" is also the test client's argument naming the token: put it in the path.
    judges = _ids(api.get("/persons?role=perpetrator&act_type=sentence"))
    assert judges == {str(world.judge.pk), str(world.prosecutor.pk)}
    hidden_only = api.get("/persons?role=perpetrator&act_type=sentence&confidentiality=restricted")
    assert _ids(hidden_only) == {str(world.prosecutor.pk)}
    victims = _ids(api.get("/persons", act_type="sentence", article="361-1"))
    assert victims == {str(world.lawyer.pk)}
    assert _ids(api.get("/persons", date_from="2022-01-01")) == {str(world.hidden_lawyer.pk)}
    assert api.get("/persons?role=bystander").status_code == 422


def test_viewer_perpetrator_filter_leaves_out_hidden_involvements(api, world):
    seen = api.get("/persons?role=perpetrator", role="viewer")
    assert _ids(seen) == {str(world.judge.pk)}


def test_perpetrator_dossier_lists_their_acts_with_victims(api, world):
    rows = api.get("/involvements", perpetrator=str(world.judge.pk)).json()["items"]
    assert [(r["act_type"]["key"], r["victim"]["name"]) for r in rows] == [
        ("sentence", "Fictionala Advocatka")
    ]


def test_witness_and_contacts_are_write_only(api, world, users):
    canary = f"canary-{uuid.uuid4().hex}"
    body = {
        "title": "Fictional testimony",
        "witness_contact": canary,
        "source_person": str(world.judge.pk),
    }
    created = api.call("POST", "/sources", "documenter", body)
    assert created.status_code == 201
    assert created.json()["confidentiality"] == "restricted"
    for response in (
        created,
        api.get(f"/sources/{created.json()['id']}", role="documenter"),
        api.get("/sources", role="admin"),
    ):
        assert canary not in response.content.decode()
        assert str(world.judge.pk) not in response.content.decode()
    stored = Source.objects.get(pk=created.json()["id"])
    assert stored.witness_contact == canary and stored.source_person == world.judge

    person = api.call(
        "POST", "/persons", "admin", {"display_name": "Fictiva", "contact_details": canary}
    )
    assert person.status_code == 201 and canary not in person.content.decode()
    assert Person.objects.get(pk=person.json()["id"]).contact_details == canary


def test_changing_a_witness_needs_the_right_to_reveal_it(api, world, users):
    with change_context("test", actor=users["admin"]):
        source = Source(title="Fictional admin source")
        source.save()
    body = {"version": 1, "witness_contact": "overwritten"}
    assert api.call("PATCH", f"/sources/{source.pk}", "analyst", body).status_code == 403
    assert Source.objects.get(pk=source.pk).witness_contact is None
    assert api.call("PATCH", f"/sources/{source.pk}", "coordinator", body).status_code == 200


def test_case_members_the_user_cannot_see_survive_a_replacement(api, world, users):
    with change_context("test", actor=users["admin"]):
        secret = Person(display_name="Secreta Fictiva", confidentiality="secret")
        secret.save()
        case = Case(title="Fictional case")
        case.save()
        case.persons.add(secret, world.judge)
    body = {"version": 1, "persons": [str(world.lawyer.pk)]}
    response = api.call("PATCH", f"/cases/{case.pk}", "analyst", body)
    assert response.status_code == 200, response.content
    assert [p["name"] for p in response.json()["persons"]] == ["Fictionala Advocatka"]
    assert set(case.persons.all()) == {secret, world.lawyer}


def test_organisations_found_by_a_name_in_another_script_and_by_kind(api, users):
    body = {
        "display_name": "Fictional Court",
        "kind": "court",
        "names": [{"value": "Фіктыўны суд"}],
    }
    created = api.call("POST", "/organisations", "admin", body).json()
    assert _ids(api.get("/organisations", q="фіктыўны")) == {created["id"]}
    assert created["id"] in _ids(api.get("/organisations", kind="court"))
    assert created["names"][0]["is_primary"] is True


def test_a_second_primary_name_takes_the_mark(api, world):
    body = {"person": str(world.lawyer.pk), "value": "Фікцыянала", "is_primary": True}
    assert api.call("POST", "/person-names", "admin", body).status_code == 201
    names = api.get(f"/persons/{world.lawyer.pk}").json()["names"]
    assert [n["value"] for n in names if n["is_primary"]] == ["Фікцыянала"]


def test_information_shows_its_target_only_when_visible(api, world, users):
    with change_context("test", actor=users["admin"]):
        source = Source(title="Fictional public report", confidentiality="public")
        source.save()
    body = {
        "source": str(source.pk),
        "target_type": "act",
        "target_id": str(world.hidden_arrest.pk),
        "confidentiality": "public",
    }
    created = api.call("POST", "/information", "admin", body).json()
    assert created["target"] == {"type": "act", "id": str(world.hidden_arrest.pk)}
    seen = api.get(f"/information/{created['id']}", role="viewer").json()
    assert seen["target"] is None
    by_target = api.get(
        "/information", role="viewer", target_type="act", target_id=str(world.hidden_arrest.pk)
    )
    assert _ids(by_target) == set()


def test_schema_lists_every_record_type(api, db):
    paths = api.client.get("/api/openapi.json").json()["paths"]
    for name in (
        "organisations",
        "events",
        "cases",
        "acts",
        "charges",
        "involvements",
        "counsel",
        "sources",
        "information",
        "person-names",
        "organisation-names",
    ):
        assert {"get", "post"} <= set(paths[f"/api/{name}"])
        assert {"get", "patch", "delete"} <= set(paths[f"/api/{name}/{{id}}"])
    assert "delete" in paths["/api/persons/{id}"]
