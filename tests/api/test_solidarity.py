"""Hearings, observation reports, statements and the calendar through the API and the policy."""

import datetime as dt

from vigil.core.context import change_context
from vigil.records.models import Case


def _case(world, level="internal"):
    with change_context("test", detail="api solidarity"):
        case = Case.objects.create(title=f"Fictional {level} case", confidentiality=level)
        case.persons.add(world.lawyer)
    return case


def _hearing(api, world, case, role="coordinator"):
    body = {
        "case": str(case.pk),
        "date": str(dt.date.today() + dt.timedelta(days=4)),
        "kind": "appeal",
        "judge": str(world.judge.pk),
    }
    return api.call("POST", "/hearings", role, body)


def test_a_hearing_is_created_observed_and_reported_through_the_api(api, world, users):
    case = _case(world)
    created = _hearing(api, world, case)
    assert created.status_code == 201, created.json()
    hearing = created.json()
    assert hearing["judge"]["name"] == "Iudex Fictus" and hearing["kind"] == "appeal"
    observer = str(users["analyst"].pk)
    path = f"/hearings/{hearing['id']}"
    assigned = api.call("POST", f"{path}/observers", "coordinator", {"observer": observer})
    assert assigned.status_code == 201 and assigned.json()["observers"] == ["fictional-api-analyst"]
    report = {"access": "refused_visa", "answers": {"public_hearing": "no"}, "duration_minutes": 40}
    filed = api.call("POST", f"{path}/reports", "analyst", report)
    assert filed.status_code == 201, filed.json()
    (seen,) = filed.json()["reports"]
    assert seen["answers"] == {"public_hearing": "no"} and seen["refusal_act"]
    listed = api.get("/hearings", "viewer", case=str(case.pk)).json()["items"]
    assert [h["id"] for h in listed] == [hearing["id"]]
    due = api.get("/calendar", "viewer", days=10).json()
    assert {"hearing"} <= {i["kind"] for i in due}


def test_the_api_refuses_what_the_policy_refuses(api, world, users):
    hidden = _case(world, "restricted")
    refused = _hearing(api, world, hidden, role="viewer")
    assert refused.status_code == 404  # a restricted case is not visible to a viewer
    case = _case(world)
    assert _hearing(api, world, case, role="viewer").status_code == 403
    hearing = _hearing(api, world, case).json()
    path = f"/hearings/{hearing['id']}"
    other = str(users["analyst"].pk)
    mine = api.call("POST", f"{path}/observers", "documenter", {"observer": other})
    assert mine.status_code == 404
    bad = api.call("POST", f"{path}/reports", "analyst", {"answers": {"nonsense": "yes"}})
    assert bad.status_code == 422


def test_a_statement_about_a_person_is_listed_for_that_person(api, world):
    body = {
        "title": "Fictional statement of solidarity",
        "author_text": "Fictional Lawyers for Lawyers",
        "persons": [str(world.lawyer.pk)],
        "signatories": ["Fictional Bar A"],
    }
    created = api.call("POST", "/statements", "analyst", body)
    assert created.status_code == 201, created.json()
    assert created.json()["signatories"] == ["Fictional Bar A"]
    about = api.get("/statements", "viewer", person=str(world.lawyer.pk)).json()["items"]
    assert [s["title"] for s in about] == ["Fictional statement of solidarity"]
    hidden = api.call("POST", "/statements", "analyst", body | {"confidentiality": "restricted"})
    assert api.get(f"/statements/{hidden.json()['id']}", "viewer").status_code == 404
    nobody = api.call("POST", "/statements", "analyst", {"title": "Fictional anonymous"})
    assert nobody.status_code == 422


def test_the_api_calendar_lists_the_un_sessions_and_deadlines_an_admin_entered(api, users):
    from vigil.solidarity import international

    day = dt.date.today() + dt.timedelta(days=3)
    for kind in ("un_session", "upr_deadline", "submission_deadline", "other"):
        international.add_date(users["admin"], day, kind, f"Fictional {kind} item")
    due = api.get("/calendar", "viewer", days=10)
    assert due.status_code == 200, due.json()
    found = {i["kind"]: i["title"] for i in due.json() if i["date"] == str(day)}
    assert found == {
        "un-session": "UN session: Fictional un_session item",
        "upr-deadline": "UPR deadline: Fictional upr_deadline item",
        "submission-deadline": "Submission deadline: Fictional submission_deadline item",
        "international-date": "International date: Fictional other item",
    }
