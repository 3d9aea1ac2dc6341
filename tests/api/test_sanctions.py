"""The sanctions gap and candidate review through the API."""


def test_gap_lists_visible_perpetrators_with_their_list_status(api, world):
    viewer = api.get("/sanctions/gap", role="viewer").json()
    admin = api.get("/sanctions/gap", role="admin").json()
    assert [r["person"]["name"] for r in viewer["rows"]] == ["Iudex Fictus"]
    assert {r["person"]["name"] for r in admin["rows"]} == {"Iudex Fictus", "Accusator Secretus"}
    judge = viewer["rows"][0]
    assert judge["statuses"][0]["state"] == "pending"
    assert judge["acts"][0]["victim"]["name"] == "Fictionala Advocatka"
    assert viewer["missing_issuers"] == ["UK", "US"]
    assert viewer["summary"][0].startswith("Of 1 judges in the record")


def test_candidates_hide_matches_of_hidden_perpetrators(api, world):
    viewer = api.get("/sanctions/candidates", role="viewer").json()
    assert [c["id"] for c in viewer["items"]] == [str(world.candidate.pk)]
    assert api.get("/sanctions/candidates", role="admin").json()["count"] == 2


def test_viewer_and_documenter_may_not_decide(api, world):
    path = f"/sanctions/candidates/{world.candidate.pk}/decision"
    for role in ("viewer", "documenter"):
        response = api.call("POST", path, role, {"decision": "confirmed"})
        assert response.status_code == 403, role
    world.candidate.refresh_from_db()
    assert world.candidate.decision == "pending"


def test_analyst_confirms_a_candidate_and_the_gap_says_listed(api, world, users):
    path = f"/sanctions/candidates/{world.candidate.pk}/decision"
    body = {"decision": "confirmed", "note": "Fictional review", "version": 1}
    response = api.call("POST", path, "analyst", body)
    assert response.status_code == 200, response.content
    assert response.json()["decision"] == "confirmed"
    assert response.json()["version"] == 2
    world.candidate.refresh_from_db()
    assert world.candidate.reviewed_by == users["analyst"]
    gap = api.get("/sanctions/gap", role="viewer").json()
    assert gap["rows"][0]["listed_by"] == ["EU"]


def test_decision_on_stale_version_gets_409(api, world):
    path = f"/sanctions/candidates/{world.candidate.pk}/decision"
    first = api.call("POST", path, "analyst", {"decision": "rejected", "version": 1})
    assert first.status_code == 200
    stale = api.call("POST", path, "coordinator", {"decision": "confirmed", "version": 1})
    assert stale.status_code == 409
    world.candidate.refresh_from_db()
    assert world.candidate.decision == "rejected"


def test_decision_on_hidden_candidate_gets_404(api, world):
    path = f"/sanctions/candidates/{world.hidden_candidate.pk}/decision"
    assert api.call("POST", path, "viewer", {"decision": "confirmed"}).status_code == 404


def test_decision_must_be_confirmed_or_rejected(api, world):
    path = f"/sanctions/candidates/{world.candidate.pk}/decision"
    assert api.call("POST", path, "admin", {"decision": "maybe"}).status_code == 422


def test_a_name_added_through_the_api_screens_the_perpetrator_at_once(api, world, shared_data):
    import datetime as dt

    from vigil.core.context import change_context
    from vigil.sanctions.lists import import_list
    from vigil.sanctions.models import ScreeningMatch

    with change_context("test"):
        import_list(
            "eu-765",
            shared_data / "sanctions" / "eu_reg_765_2006_annexI.csv",
            version_date=dt.date(2026, 7, 17),
        )
    body = {"person": str(world.judge.pk), "value": "Maxim Filatau", "script": "Latn"}
    assert api.call("POST", "/person-names", "documenter", body).status_code == 201
    assert ScreeningMatch.objects.filter(
        person=world.judge,
        listed_entity__sanctions_list__name="eu-765",
        listed_entity__entity_id="I.A/103",
    ).exists()
    gap = api.get("/sanctions/gap", role="viewer").json()
    states = {s["list"]: s["state"] for s in gap["rows"][0]["statuses"]}
    assert states["eu-765"] == "pending"
