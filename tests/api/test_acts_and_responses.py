"""Acts, interventions, the response gap and silent states through the API and the policy."""

import uuid


def _ids(response):
    return {item["id"] for item in response.json()["items"]}


def test_acts_filter_by_person_type_and_dates(api, world):
    mine = api.get("/acts", person=str(world.lawyer.pk))
    assert _ids(mine) == {str(world.arrest.pk), str(world.sentence.pk)}
    sentences = api.get("/acts", type="sentence")
    assert _ids(sentences) == {str(world.sentence.pk)}
    dated = api.get("/acts", date_from="2021-02-01", date_to="2021-12-31")
    assert _ids(dated) == {str(world.sentence.pk)}
    assert _ids(api.get("/acts", date_from="2022-01-01", date_to="2021-01-01")) == set()


def test_viewer_does_not_see_restricted_acts(api, world):
    assert str(world.hidden_arrest.pk) not in _ids(api.get("/acts", role="viewer"))
    assert api.get(f"/acts/{world.hidden_arrest.pk}", role="viewer").status_code == 404
    assert api.get(f"/acts/{world.hidden_arrest.pk}", role="admin").status_code == 200


def test_act_detail_names_victim_and_visible_perpetrators(api, world):
    body = api.get(f"/acts/{world.sentence.pk}", role="viewer").json()
    assert body["victim_person"]["name"] == "Fictionala Advocatka"
    assert [p["person"]["name"] for p in body["perpetrators"]] == ["Iudex Fictus"]
    assert body["charges"][0]["provision"] == "Part 2 of Art. 361-1 CC"


def test_interventions_are_restricted_and_name_only_visible_persons(api, world):
    viewer = _ids(api.get("/interventions", role="viewer"))
    assert viewer == {str(world.appeal_to_un.pk)}
    assert api.get(f"/interventions/{world.hidden_appeal.pk}", role="viewer").status_code == 404
    hidden = api.get(f"/interventions/{world.hidden_appeal.pk}", role="admin").json()
    assert [p["name"] for p in hidden["persons"]] == ["Restricta Fictionalis"]


def test_interventions_filter_by_person(api, world):
    found = api.get("/interventions", person=str(world.hidden_lawyer.pk))
    assert _ids(found) == {str(world.hidden_appeal.pk)}
    assert _ids(api.get("/interventions", person=str(uuid.uuid4()))) == set()


def test_response_gap_shows_only_visible_detained_and_communications(api, world):
    admin = api.get("/response-gap", role="admin").json()
    viewer = api.get("/response-gap", role="viewer").json()
    detained = {d["person"]["id"] for d in admin["detained_without_response"]}
    assert detained == {str(world.lawyer.pk), str(world.hidden_lawyer.pk)}
    assert {d["person"]["id"] for d in viewer["detained_without_response"]} == {
        str(world.lawyer.pk)
    }
    unanswered = {c["intervention"]["id"] for c in viewer["communications_without_state_response"]}
    assert unanswered == {str(world.appeal_to_un.pk)}
    lawyer = viewer["detained_without_response"][0]
    assert "un_communication" not in lawyer["missing"] and "wgad_opinion" in lawyer["missing"]


def test_silent_states_count_only_positions_the_user_may_see(api, world):
    admin = api.get("/forums/silent-states", role="admin", topic="lawyers").json()
    viewer = api.get("/forums/silent-states", role="viewer", topic="lawyers").json()
    assert admin == []
    assert [s["state"]["name"] for s in viewer] == ["Fictional Kingdom of Nowhere"]


def test_silent_states_need_a_topic(api, db):
    assert api.get("/forums/silent-states").status_code == 422
    assert api.get("/forums/silent-states", topic="  ").status_code == 422
