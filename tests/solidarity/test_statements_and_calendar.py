"""Statements about persons and cases, editions, the calendar and its iCalendar feed."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import as_user, term
from vigil.audit.models import AuditEntry
from vigil.core.errors import Forbidden, ValidationFailed
from vigil.records.models import Act, Event, Intervention
from vigil.solidarity import calendar, feed, monitoring, statements
from vigil.solidarity.models import CalendarToken

pytestmark = pytest.mark.django_db


def _statement(world, user=None, **extra):
    user = user or world.users["analyst"]
    fields = {
        "title": "Fictional joint letter on Defendia Testovna",
        "author_text": "Fictional Bar Association",
        "date": dt.date(2026, 1, 24),
        "persons": [world.defendant.pk],
        "signatories": ["Fictional Bar of Exampleland", "", "Fictional Lawyers Union"],
    } | extra
    with as_user(user):
        return statements.add_statement(user, statements.StatementInput(**fields))


def test_a_statement_about_a_person_is_listed_on_their_profile_data(world):
    statement = _statement(world)
    assert statements.statements_about(world.users["viewer"], world.defendant) == [statement]
    names = [str(s) for s in statements.signatories(world.users["viewer"], statement)]
    assert names == ["Fictional Bar of Exampleland", "Fictional Lawyers Union"]


def test_a_statement_about_a_persons_case_concerns_the_person_too(world):
    statement = _statement(world, persons=[], cases=[world.case.pk])
    assert statements.statements_about(world.users["viewer"], world.defendant) == [statement]


def test_a_statement_without_an_author_or_about_a_hidden_case_is_refused(world):
    with pytest.raises(ValidationFailed, match="who made"):
        _statement(world, author_text="")
    with pytest.raises(ValidationFailed, match="No case"):
        _statement(world, cases=[world.hidden_case.pk])


def test_a_restricted_statement_is_hidden_from_a_viewer(world):
    _statement(world, confidentiality="restricted")
    assert statements.statements_about(world.users["viewer"], world.defendant) == []
    assert len(statements.statements_about(world.users["analyst"], world.defendant)) == 1


def test_a_viewer_may_not_record_a_statement_or_an_edition(world):
    with pytest.raises(Forbidden):
        _statement(world, world.users["viewer"])
    with pytest.raises(Forbidden):
        statements.add_edition(world.users["viewer"], 2026, "BY")


def test_an_edition_of_the_day_of_the_endangered_lawyer_links_its_statements(world):
    edition = statements.add_edition(world.users["analyst"], 2026, "by", "Fictional theme")
    assert (edition.focus_country, str(edition.day)) == ("BY", "2026-01-24")
    statement = _statement(world, edition_year=2026)
    assert statement.edition == edition
    with pytest.raises(ValidationFailed, match="two-letter"):
        statements.add_edition(world.users["analyst"], 2027, "Belarus")


def test_the_calendar_lists_hearings_deadlines_sentence_ends_follow_ups_and_24_january(world):
    user = world.users["coordinator"]
    today = dt.date(2026, 1, 5)
    with as_user(user):
        monitoring.add_hearing(
            user,
            monitoring.HearingInput(
                case=world.case.pk, date=dt.date(2026, 1, 20),
                appeal_deadline=dt.date(2026, 1, 30),
            ),
        )
        event = Event.objects.create(title="Fictional sentencing")
        Act.objects.create(
            event=event, victim_person=world.defendant, act_type_id=term("act_type", "sentence"),
            date=dt.date(2024, 2, 10), sentence_months=24,
        )
        Intervention.objects.create(
            intervention_type_id=term("intervention_type", "urgent_appeal"),
            title="Fictional appeal", follow_up_due=dt.date(2026, 2, 1),
        )
    statements.add_edition(user, 2026, "BY")
    found = calendar.items(user, today, dt.date(2026, 2, 28))
    kinds = [(i.date.isoformat(), i.kind) for i in found]
    assert kinds == [
        ("2026-01-20", "hearing"),
        ("2026-01-24", "endangered-lawyer-day"),
        ("2026-01-30", "appeal-deadline"),
        ("2026-02-01", "follow-up"),
        ("2026-02-10", "sentence-end"),
    ]
    assert found[1].title == "Day of the Endangered Lawyer: BY"
    assert found[4].title == "Sentence ends: Fictional Defendia Testovna"
    assert found[4].feed_title == "Sentence ends"


def test_the_calendar_shows_nothing_of_a_hidden_case(world):
    admin = world.users["admin"]
    with as_user(admin):
        monitoring.add_hearing(
            admin, monitoring.HearingInput(case=world.hidden_case.pk, date=dt.date(2026, 1, 20))
        )
    found = calendar.items(world.users["analyst"], dt.date(2026, 1, 1), dt.date(2026, 1, 22))
    assert found == []
    assert len(calendar.items(admin, dt.date(2026, 1, 1), dt.date(2026, 1, 22))) == 1


def test_the_feed_names_no_one_and_its_token_is_revocable_and_audited(world, client):
    user = world.users["coordinator"]
    soon = dt.date.today() + dt.timedelta(days=3)
    with as_user(user):
        monitoring.add_hearing(user, monitoring.HearingInput(case=world.case.pk, date=soon))
    token = feed.issue(user)
    assert CalendarToken.objects.get().digest != token
    response = client.get(f"/calendar/feed/{token}.ics")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and "SUMMARY:Hearing\r\n" in body
    assert f"DTSTART;VALUE=DATE:{soon:%Y%m%d}" in body
    assert "Defendia" not in body and "Fictional case" not in body
    second = feed.issue(user)
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404
    assert client.get(f"/calendar/feed/{second}.ics").status_code == 200
    feed.revoke(user)
    assert client.get(f"/calendar/feed/{second}.ics").status_code == 404
    events = list(AuditEntry.objects.values_list("event", flat=True))
    assert events.count("token_issued") == 2 and "token_revoked" in events
    assert all(token not in str(m) for m in AuditEntry.objects.values_list("meta", flat=True))


def test_a_disabled_users_feed_stops(world, client):
    user = world.users["analyst"]
    token = feed.issue(user)
    user.is_active = False
    user.save()
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_long_feed_lines_are_folded_at_75_octets():
    line = "SUMMARY:" + "Ў" * 60
    folded = feed._fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_the_response_gap_counts_a_statement_about_a_detained_lawyer(world):
    from vigil.records.models import Profession
    from vigil.responses.gap import detained_without_response

    with as_user(world.users["admin"]):
        Profession.objects.create(
            person=world.defendant, profession_id=term("profession", "lawyer")
        )
        event = Event.objects.create(title="Fictional arrest")
        Act.objects.create(
            event=event, victim_person=world.defendant, act_type_id=term("act_type", "arrest"),
            date=dt.date(2025, 5, 1), status="ongoing",
        )
    analyst, viewer = world.users["analyst"], world.users["viewer"]
    (before,) = detained_without_response(analyst)
    assert "statement" in before.missing
    _statement(world, persons=[], cases=[world.case.pk], confidentiality="restricted")
    (after,) = detained_without_response(analyst)
    assert "statement" not in after.missing
    (hidden,) = detained_without_response(viewer)  # the statement is restricted
    assert "statement" in hidden.missing


def test_the_country_report_counts_statements_by_kind_through_the_scope(world):
    from vigil.reports.coverage import Coverage
    from vigil.reports.figures import figure

    _statement(world)
    _statement(world, title="Fictional second letter", kind="letter", persons=[])
    admin = world.users["admin"]
    _statement(world, admin, title="Fictional secret", kind="letter", confidentiality="secret")
    found = figure("solidarity-statements", Coverage(world.users["admin"]))
    assert found.rows == [("letter", 1, 0), ("public statement", 1, 1)]
    assert found.period == ("2026-01-24", "2026-01-24")
    everything = figure("solidarity-statements", Coverage(world.users["admin"], ceiling="secret"))
    assert everything.rows[0] == ("letter", 2, 1)
