"""Persons through the API: what each role sees, creation, and optimistic locking."""

import uuid

from vigil.core.models import Version
from vigil.records.models import Person, PersonName


def _ids(response):
    return {item["id"] for item in response.json()["items"]}


def test_viewer_gets_404_for_restricted_person_that_admin_sees(api, world):
    path = f"/persons/{world.hidden_lawyer.pk}"
    hidden = api.get(path, role="viewer")
    assert hidden.status_code == 404
    assert hidden.json() == {"error": "No person with this id."}
    assert api.get(path, role="admin").json()["display_name"] == "Restricta Fictionalis"


def test_missing_and_hidden_persons_get_the_same_404(api, world):
    missing = api.get(f"/persons/{uuid.uuid4()}", role="viewer")
    hidden = api.get(f"/persons/{world.hidden_lawyer.pk}", role="viewer")
    assert (missing.status_code, missing.json()) == (hidden.status_code, hidden.json())


def test_person_list_leaves_out_what_viewer_may_not_see(api, world):
    viewer = _ids(api.get("/persons", role="viewer"))
    admin = _ids(api.get("/persons", role="admin"))
    assert str(world.hidden_lawyer.pk) not in viewer
    assert str(world.prosecutor.pk) not in viewer
    assert {str(world.hidden_lawyer.pk), str(world.prosecutor.pk)} <= admin
    assert str(world.lawyer.pk) in viewer


def test_person_search_finds_by_a_stored_name_best_match_first(api, world):
    found = api.get("/persons", q="fictionala advocatka").json()
    assert found["items"][0]["id"] == str(world.lawyer.pk)
    assert str(world.judge.pk) not in {item["id"] for item in found["items"]}


def test_person_search_by_a_hidden_alias_finds_nothing_for_viewer(api, world):
    assert _ids(api.get("/persons", role="viewer", q="Secret Alias")) == set()


def test_in_custody_filter_uses_custody_derived_from_acts(api, world):
    held = _ids(api.get("/persons", role="admin", in_custody="true"))
    assert held == {str(world.lawyer.pk), str(world.hidden_lawyer.pk)}
    free = _ids(api.get("/persons", role="admin", in_custody="false"))
    assert str(world.judge.pk) in free and not held & free


def test_person_detail_has_names_profession_custody_and_timeline(api, world):
    body = api.get(f"/persons/{world.lawyer.pk}", role="admin").json()
    assert body["custody"]["status"] == "in_custody"
    assert body["custody"]["since"] == "2021-01-10"
    assert [p["profession"]["key"] for p in body["professions"]] == ["lawyer"]
    assert {n["value"] for n in body["names"]} == {
        "Fictionala Advocatka",
        "Secret Alias Fictionalovna",
    }
    arrest, sentence = body["timeline"]
    assert (arrest["act_type"]["key"], sentence["act_type"]["key"]) == ("arrest", "sentence")
    assert sentence["sentence_months"] == 72.0
    assert sentence["charges"][0]["article"] == "361-1"
    roles = {p["role"]["key"]: p["person"]["name"] for p in sentence["perpetrators"]}
    assert roles == {"judge": "Iudex Fictus", "prosecutor": "Accusator Secretus"}


def test_person_detail_hides_restricted_names_and_perpetrators_from_viewer(api, world):
    body = api.get(f"/persons/{world.lawyer.pk}", role="viewer").json()
    assert {n["value"] for n in body["names"]} == {"Fictionala Advocatka"}
    sentence = body["timeline"][1]
    assert [p["role"]["key"] for p in sentence["perpetrators"]] == ["judge"]
    assert "Accusator" not in str(body) and "Secret Alias" not in str(body)


def test_custody_counts_only_acts_the_user_may_see(api, world, users):
    from vigil.core.context import change_context

    with change_context("test", actor=users["admin"]):
        world.arrest.confidentiality = "restricted"
        world.arrest.save()
        world.sentence.confidentiality = "restricted"
        world.sentence.save()
    body = api.get(f"/persons/{world.lawyer.pk}", role="viewer").json()
    assert body["custody"]["status"] == "unknown"
    assert body["timeline"] == []


def test_documenter_creates_person_with_names_under_an_api_context(api, users):
    body = {
        "display_name": "Nova Fictiva",
        "names": [
            {"value": "Nova Fictiva", "script": "Latn", "lang": "en"},
            {"value": "Нова Фіктыва", "script": "Cyrl", "lang": "be"},
        ],
        "sex": "female",
        "birth_date": "1985-01-01",
        "birth_date_precision": "year",
    }
    response = api.call("POST", "/persons", "documenter", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["version"] == 1 and created["confidentiality"] == "internal"
    assert [n["is_primary"] for n in created["names"]] == [True, False]
    person = Person.objects.get(pk=created["id"])
    assert person.created_by == users["documenter"]
    history = Version.objects.get(model="records.person", object_id=person.pk)
    assert (history.context_kind, history.actor) == ("api", users["documenter"])
    found = api.get("/persons", role="documenter", q="Фіктыва")
    assert _ids(found) == {created["id"]}


def test_viewer_may_not_create_a_person(api, db):
    response = api.call("POST", "/persons", "viewer", {"display_name": "Refusa Fictiva"})
    assert response.status_code == 403
    assert "error" in response.json()
    assert not Person.all_objects.filter(display_name="Refusa Fictiva").exists()


def test_documenter_may_not_publish_and_nothing_is_left_behind(api, db):
    body = {
        "display_name": "Publica Fictiva",
        "confidentiality": "public",
        "names": [{"value": "Publica Fictiva"}],
    }
    assert api.call("POST", "/persons", "documenter", body).status_code == 403
    assert not Person.all_objects.filter(display_name="Publica Fictiva").exists()
    assert not PersonName.all_objects.filter(value="Publica Fictiva").exists()


def test_create_rejects_blank_name_with_json_422(api, db):
    response = api.call("POST", "/persons", "admin", {"display_name": "   "})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "display_name"


def test_patch_with_current_version_changes_and_bumps_version(api, world):
    path = f"/persons/{world.lawyer.pk}"
    version = api.get(path).json()["version"]
    response = api.call("PATCH", path, "admin", {"version": version, "notes": "Fictional note"})
    assert response.status_code == 200
    assert response.json()["version"] == version + 1
    assert response.json()["notes"] == "Fictional note"
    assert Version.objects.filter(object_id=world.lawyer.pk, context_kind="api").count() == 1


def test_patch_with_stale_version_gets_409_and_keeps_the_first_change(api, world):
    path = f"/persons/{world.lawyer.pk}"
    version = api.get(path).json()["version"]
    first = api.call("PATCH", path, "admin", {"version": version, "notes": "First fictional"})
    assert first.status_code == 200
    second = api.call("PATCH", path, "coordinator", {"version": version, "notes": "Second"})
    assert second.status_code == 409
    assert "changed by someone else" in second.json()["error"]
    world.lawyer.refresh_from_db()
    assert world.lawyer.notes == "First fictional"


def test_patch_null_clears_birth_date_but_leaves_name(api, world):
    path = f"/persons/{world.lawyer.pk}"
    version = api.get(path).json()["version"]
    body = {"version": version, "display_name": None, "birth_date": None}
    response = api.call("PATCH", path, "admin", body)
    assert response.status_code == 200
    assert response.json()["display_name"] == "Fictionala Advocatka"
    assert response.json()["birth_date"] is None


def test_viewer_may_read_but_not_change_a_person(api, world):
    path = f"/persons/{world.lawyer.pk}"
    response = api.call("PATCH", path, "viewer", {"version": 1, "notes": "x"})
    assert response.status_code == 403


def test_patch_of_a_hidden_person_gets_404(api, world):
    path = f"/persons/{world.hidden_lawyer.pk}"
    response = api.call("PATCH", path, "documenter", {"version": 1, "notes": "x"})
    assert response.status_code == 404
