"""Trial monitoring: hearings through the policy, observers, reports, refusals as acts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from tests.conftest import as_user
from vigil.core.errors import Forbidden, ValidationFailed
from vigil.policy.access import restrict
from vigil.records.models import Act
from vigil.solidarity import monitoring
from vigil.solidarity.models import Hearing, ObservationReport
from vigil.solidarity.report import monitoring_draft, monitoring_file

pytestmark = pytest.mark.django_db


def _hearing(world, user=None, **extra):
    user = user or world.users["coordinator"]
    with as_user(user):
        return monitoring.add_hearing(
            user,
            monitoring.HearingInput(
                case=world.case.pk,
                date=dt.date(2026, 3, 2),
                court=world.court.pk,
                judge=world.judge.pk,
                prosecutor=world.prosecutor.pk,
                **extra,
            ),
        )


def test_a_hearing_takes_its_case_confidentiality_and_links_the_record(world):
    world.case.confidentiality = "restricted"
    with as_user(world.users["admin"]):
        world.case.save()
    hearing = _hearing(world)
    assert hearing.confidentiality == "restricted"
    assert (hearing.court, hearing.judge, hearing.prosecutor) == (
        world.court,
        world.judge,
        world.prosecutor,
    )


def test_a_hearing_of_a_case_the_user_cannot_see_is_refused_like_a_missing_one(world):
    user = world.users["analyst"]
    with as_user(user), pytest.raises(ValidationFailed, match="No case"):
        monitoring.add_hearing(
            user, monitoring.HearingInput(case=world.hidden_case.pk, date=dt.date(2026, 3, 2))
        )
    assert not Hearing.objects.exists()


def test_a_viewer_may_not_record_a_hearing(world):
    with pytest.raises(Forbidden):
        _hearing(world, world.users["viewer"])
    assert not Hearing.objects.exists()


def test_an_appeal_deadline_before_the_hearing_is_refused(world):
    with pytest.raises(ValidationFailed, match="appeal deadline"):
        _hearing(world, appeal_deadline=dt.date(2026, 1, 1))


def test_a_documenter_may_assign_only_themselves_a_coordinator_anyone(world):
    hearing = _hearing(world)
    documenter, analyst = world.users["documenter"], world.users["analyst"]
    with as_user(documenter), pytest.raises(ValidationFailed):
        monitoring.assign_observer(documenter, hearing, analyst)
    coordinator = world.users["coordinator"]
    with as_user(coordinator):
        first = monitoring.assign_observer(coordinator, hearing, analyst)
        again = monitoring.assign_observer(coordinator, hearing, analyst)
    assert first.pk == again.pk
    assert [a.observer for a in monitoring.observers(coordinator, hearing)] == [analyst]


def test_a_report_keeps_only_checklist_answers_and_refuses_unknown_items(world):
    hearing = _hearing(world)
    user = world.users["analyst"]
    with as_user(user), pytest.raises(ValidationFailed, match="not an item"):
        monitoring.file_report(
            user, hearing, monitoring.ReportInput(answers={"verdict_fair": "yes"})
        )
    with as_user(user):
        report = monitoring.file_report(
            user,
            hearing,
            monitoring.ReportInput(
                answers={"public_hearing": "no", "defendant_caged": "yes", "counsel_access": ""},
                duration_minutes=40,
                motions_refused=3,
            ),
        )
    assert report.answers == {"public_hearing": "no", "defendant_caged": "yes"}
    assert report.refusal_act is None


def test_an_observer_refused_a_visa_is_recorded_as_an_act_of_the_case(world):
    hearing = _hearing(world)
    user = world.users["analyst"]
    with as_user(user):
        report = monitoring.file_report(
            user, hearing, monitoring.ReportInput(access="refused_visa")
        )
    act = Act.objects.get(pk=report.refusal_act_id)
    assert act.act_type_id == "act_type.visa_refusal"
    assert act.place == world.court and act.date == hearing.date
    assert world.case.events.filter(pk=act.event_id).exists()
    assert act.confidentiality == hearing.confidentiality


def test_the_checklist_is_a_vocabulary_labelled_in_three_languages(world):
    items = monitoring.checklist_items()
    assert [t.key for t in items][:3] == ["public_hearing", "counsel_access", "defendant_caged"]
    for t in items:
        assert t.label_en and t.label_be and t.label_ru


def test_a_hidden_hearing_and_its_reports_are_invisible_to_outsiders(world):
    admin = world.users["admin"]
    with as_user(admin):
        hearing = monitoring.add_hearing(
            admin, monitoring.HearingInput(case=world.hidden_case.pk, date=dt.date(2026, 4, 1))
        )
        monitoring.file_report(admin, hearing, monitoring.ReportInput(notes="Canarynote"))
    for role in ("viewer", "documenter", "analyst", "coordinator"):
        user = world.users[role]
        assert not restrict(user, "view", Hearing.objects.all()).exists(), role
        assert not restrict(user, "view", ObservationReport.objects.all()).exists(), role
    assert restrict(admin, "view", ObservationReport.objects.all()).count() == 1


def test_the_monitoring_report_numbers_observers_and_states_the_checklist(world):
    hearing = _hearing(world)
    analyst = world.users["analyst"]
    with as_user(analyst):
        monitoring.file_report(
            analyst,
            hearing,
            monitoring.ReportInput(
                answers={"defendant_caged": "yes"}, duration_minutes=40, notes="Closed early."
            ),
        )
    draft = monitoring_draft(world.users["coordinator"], world.case)
    text = draft.text
    assert "Trial monitoring report: Fictional case of Defendia Testovna" in text
    assert "Observer 1" in text and analyst.username not in text
    assert "The defendant was held in a cage yes" in text
    assert "40 minutes" in text and "Fictional Judex Exemplarov" in text
    docx = monitoring_file(world.users["coordinator"], world.case, "docx")
    body = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Closed early." in body and "Sources" in body
    pdf = monitoring_file(world.users["coordinator"], world.case, "pdf")
    assert pdf.content.startswith(b"%PDF") and pdf.filename.endswith(".pdf")
