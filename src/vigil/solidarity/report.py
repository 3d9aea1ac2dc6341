"""The trial-monitoring report of a case: its hearings, what observers saw, with sources.

A draft in English (it goes to bar associations, UN mechanisms and embassies), rendered by
``vigil.outputs.render`` to DOCX or PDF. Observers are numbered, never named: the report
leaves Vigil and an observer's name is theirs to give.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import translation

from vigil.outputs.document import Draft, Run
from vigil.outputs.phrases import sourced
from vigil.outputs.render import RenderedFile, rendered_file
from vigil.outputs.writer import Writer
from vigil.policy.access import restrict
from vigil.records.models import Act, Case, Information, Person, Source
from vigil.solidarity.models import Access, Hearing, HearingKind, ObservationReport
from vigil.solidarity.monitoring import checklist_items

if TYPE_CHECKING:
    from vigil.accounts.types import User

ANSWER_TEXT = {"yes": "yes", "no": "no", "unknown": "could not tell"}
ACCESS_TEXT = {
    Access.ADMITTED: "admitted to the hearing",
    Access.REFUSED_ENTRY: "refused entry to the courtroom",
    Access.REFUSED_VISA: "refused a visa",
}


def drawn_on(case: Case) -> list[QuerySet[Any]]:
    """The records the monitoring report of ``case`` states or cites."""
    hearings = Hearing.objects.filter(case=case)
    reports = ObservationReport.objects.filter(hearing__in=hearings)
    acts = Act.objects.filter(pk__in=reports.exclude(refusal_act=None).values("refusal_act"))
    information = _information(case, hearings, reports, acts)
    people = Person.objects.filter(
        Q(pk__in=hearings.values("judge")) | Q(pk__in=hearings.values("prosecutor"))
    )
    return [
        Case.objects.filter(pk=case.pk),
        hearings,
        reports,
        acts,
        people,
        information,
        Source.objects.filter(pk__in=information.values("source_id")),
    ]


def _information(case: Case, hearings: Any, reports: Any, acts: Any) -> QuerySet[Information]:
    ct = ContentType.objects.get_for_model
    return Information.objects.filter(
        Q(target_type=ct(Case), target_id=case.pk)
        | Q(target_type=ct(Hearing), target_id__in=hearings.values("pk"))
        | Q(target_type=ct(ObservationReport), target_id__in=reports.values("pk"))
        | Q(target_type=ct(Act), target_id__in=acts.values("pk"))
    ).select_related("source", "source__reliability", "reliability")


def _infos(user: User, model: type, pk: Any) -> list[Information]:
    ct = ContentType.objects.get_for_model(model)
    qs = Information.objects.filter(target_type=ct, target_id=pk).select_related(
        "source", "source__reliability", "reliability"
    )
    return list(restrict(user, "view", qs))


def monitoring_draft(user: User, case: Case) -> Draft:
    """The monitoring report of ``case`` from what ``user`` may see."""
    with translation.override("en"):
        return _draft(user, case)


def _draft(user: User, case: Case) -> Draft:
    w = Writer("monitoring", f"Trial monitoring report: {case.title}")
    items = checklist_items()
    labels = {t.key: t.label_en for t in items}
    order = [t.key for t in items]
    w.para("The case", [sourced(case.title, _infos(user, Case, case.pk), w.cites)])
    hearings = list(
        restrict(
            user,
            "view",
            Hearing.objects.filter(case=case).select_related("court", "judge", "prosecutor"),
        ).order_by("date", "time")
    )
    if not hearings:
        w.para("Hearings", [Run("No hearing of this case is recorded in Vigil.")])
    observer_numbers: dict[Any, int] = {}
    for hearing in hearings:
        heading = f"Hearing of {hearing.date:%d %B %Y}"
        kind = HearingKind(hearing.kind).label
        w.para(heading, [sourced(str(kind), _infos(user, Hearing, hearing.pk), w.cites)], "Kind")
        court = hearing.court.display_name if hearing.court else hearing.court_text
        w.para(heading, [Run(court or "not recorded")], "Court")
        w.para(heading, [Run(_name(user, hearing.judge))], "Judge")
        w.para(heading, [Run(_name(user, hearing.prosecutor))], "Prosecutor")
        if hearing.appeal_deadline:
            w.para(heading, [Run(f"{hearing.appeal_deadline:%d %B %Y}")], "Appeal deadline")
        found = restrict(user, "view", ObservationReport.objects.filter(hearing=hearing)).order_by(
            "created_at"
        )
        if not found:
            w.para(heading, [Run("No observation report is filed for this hearing.")])
        for report in found:
            n = observer_numbers.setdefault(report.observer_id, len(observer_numbers) + 1)
            infos = _infos(user, ObservationReport, report.pk)
            w.para(
                heading,
                [sourced(ACCESS_TEXT[Access(report.access)], infos, w.cites)],
                f"Observer {n}",
            )
            if report.refusal_act_id:
                refusal = restrict(user, "view", Act.objects.filter(pk=report.refusal_act_id))
                act = refusal.select_related("act_type").first()
                if act is not None:
                    runs = [
                        sourced(
                            f"Recorded as an act: {act.act_type.label_en}.",
                            _infos(user, Act, act.pk),
                            w.cites,
                        )
                    ]
                    w.para(heading, runs)
            for key in order:
                if key in report.answers:
                    answer = ANSWER_TEXT.get(report.answers[key], report.answers[key])
                    w.para(heading, [Run(answer)], labels.get(key, key))
            if report.duration_minutes is not None:
                w.para(heading, [Run(f"{report.duration_minutes} minutes")], "Duration")
            if report.motions_refused is not None:
                w.para(heading, [Run(str(report.motions_refused))], "Defence motions refused")
            if report.notes:
                w.para(heading, [Run(report.notes)], "Notes")
    return w.finish(
        [
            "Observers are numbered, not named. Each answer is the observer's own account of "
            "the fair-trial checklist; facts from other sources carry their footnotes."
        ]
    )


def _name(user: User, person: Person | None) -> str:
    if person is None:
        return "not recorded"
    if not restrict(user, "view", Person.objects.filter(pk=person.pk)).exists():
        return "not recorded"
    return person.display_name


def monitoring_file(user: User, case: Case, fmt: str) -> RenderedFile:
    """Build and render the monitoring report of ``case``."""
    return rendered_file(
        lambda: monitoring_draft(user, case),
        fmt,
        prefix="monitoring",
        title=case.title,
        pk=case.pk,
        fallback="case",
    )
