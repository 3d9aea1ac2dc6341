"""Trial monitoring: hearings, observers assigned, observation reports against the checklist.

Every write goes through the one policy (``save_checked``): a new record takes the
confidentiality of the record it belongs to (a hearing its case's, a report its hearing's),
and a save that falls outside what the user may write is rolled back and refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction

from vigil.core.errors import ValidationFailed
from vigil.core.models import VigilModel
from vigil.policy.access import restrict, save_checked
from vigil.records import vocabularies
from vigil.records.models import Act, Case, Event, Organisation, Person, Term
from vigil.solidarity.models import (
    Access,
    Answer,
    Hearing,
    HearingKind,
    ObservationReport,
    ObserverAssignment,
)

if TYPE_CHECKING:
    from vigil.accounts.types import User

CHECKLIST = "fair_trial_check"
# The act type a refused observer is recorded as, by the access recorded in the report.
REFUSAL_ACT_TYPES = {
    Access.REFUSED_ENTRY: "refusal_of_entry",
    Access.REFUSED_VISA: "visa_refusal",
}
# A trial that takes longer than this is not flagged as summary (the Bialiatski trial
# reportedly took 40 minutes).
MAX_MINUTES = 60 * 24


def checklist_items() -> list[Term]:
    """The fair-trial checklist, in its shipped order (labels in en, be and ru)."""
    order = {key: i for i, key in enumerate(vocabularies.load(CHECKLIST))}
    terms = Term.objects.filter(vocabulary=CHECKLIST)
    return sorted(terms, key=lambda t: (order.get(t.key, len(order)), t.key))


def _checklist_keys() -> list[str]:
    return [t.key for t in checklist_items()]


@dataclass(frozen=True)
class HearingInput:
    """What a new hearing is made of; ids are checked against what the user may see."""

    case: Any
    date: dt.date
    kind: str = HearingKind.FIRST_INSTANCE
    time: dt.time | None = None
    court: Any = None
    court_text: str = ""
    judge: Any = None
    prosecutor: Any = None
    appeal_deadline: dt.date | None = None
    notes: str = ""


def _visible(user: User, model: type[VigilModel], pk: Any, what: str) -> Any:
    if pk is None or pk == "":
        return None
    if isinstance(pk, model):
        pk = pk.pk
    found = restrict(user, "view", model.objects.filter(pk=pk)).first()
    if found is None:
        raise ValidationFailed(f"No {what} with this id.")
    return found


def add_hearing(user: User, data: HearingInput) -> Hearing:
    """Record a hearing of a case the user may see; it takes the case's confidentiality."""
    case = _visible(user, Case, data.case, "case")
    if case is None:
        raise ValidationFailed("A hearing belongs to a case.")
    if data.kind not in HearingKind.values:
        raise ValidationFailed(f"Unknown kind of hearing {data.kind!r}.")
    if data.appeal_deadline is not None and data.appeal_deadline < data.date:
        raise ValidationFailed("The appeal deadline comes before the hearing.")
    hearing = Hearing(
        case=case,
        date=data.date,
        time=data.time,
        kind=data.kind,
        court=_visible(user, Organisation, data.court, "court"),
        court_text=data.court_text.strip()[:300],
        judge=_visible(user, Person, data.judge, "judge"),
        prosecutor=_visible(user, Person, data.prosecutor, "prosecutor"),
        appeal_deadline=data.appeal_deadline,
        notes=data.notes.strip(),
        confidentiality=case.confidentiality,
    )
    return save_checked(user, "add", hearing)


def assignable_observers(user: User) -> list[Any]:
    """The users ``user`` may assign (every active user for coordinators, else themselves)."""
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    return list(restrict(user, "view", users))


def assign_observer(user: User, hearing: Hearing, observer: Any) -> ObserverAssignment:
    """Assign ``observer`` to ``hearing`` (once); the assignment follows the hearing."""
    wanted = str(getattr(observer, "pk", observer))
    chosen = next((u for u in assignable_observers(user) if str(u.pk) == wanted), None)
    if chosen is None:
        raise ValidationFailed("You may not assign this observer.")
    observer_pk = chosen.pk
    existing = ObserverAssignment.objects.filter(hearing=hearing, observer_id=observer_pk).first()
    if existing is not None:
        return existing
    assignment = ObserverAssignment(
        hearing=hearing, observer_id=observer_pk, confidentiality=hearing.confidentiality
    )
    return save_checked(user, "add", assignment)


def observers(user: User, hearing: Hearing) -> list[ObserverAssignment]:
    """The assignments of a hearing the user may see."""
    qs = ObserverAssignment.objects.filter(hearing=hearing).select_related("observer")
    return list(restrict(user, "view", qs))


def clean_answers(answers: dict[str, str]) -> dict[str, str]:
    """Checklist answers keyed by item, each yes / no / unknown; anything else is refused."""
    keys = set(_checklist_keys())
    cleaned: dict[str, str] = {}
    for key, value in answers.items():
        if key not in keys:
            raise ValidationFailed(f"{key!r} is not an item of the fair-trial checklist.")
        if value in ("", None):
            continue
        if value not in Answer.values:
            raise ValidationFailed(f"Answer {key} with yes, no or unknown, not {value!r}.")
        cleaned[key] = value
    return cleaned


@dataclass(frozen=True)
class ReportInput:
    access: str = Access.ADMITTED
    answers: dict[str, str] | None = None
    duration_minutes: int | None = None
    motions_refused: int | None = None
    notes: str = ""


def file_report(user: User, hearing: Hearing, data: ReportInput) -> ObservationReport:
    """File the user's observation of ``hearing``; a refused observer is recorded as an act.

    The act (refusal of entry, or of a visa) belongs to an event of the hearing's date,
    added to the hearing's case, at the court, at the hearing's confidentiality.
    """
    if data.access not in Access.values:
        raise ValidationFailed(f"Unknown access {data.access!r}.")
    if data.duration_minutes is not None and not 0 < data.duration_minutes <= MAX_MINUTES:
        raise ValidationFailed("The duration is a number of minutes between 1 and 1440.")
    if data.motions_refused is not None and not 0 <= data.motions_refused <= 1000:
        raise ValidationFailed("The number of motions refused is between 0 and 1000.")
    answers = clean_answers(data.answers or {})
    level = hearing.confidentiality
    with transaction.atomic():
        report = ObservationReport(
            hearing=hearing,
            observer=user,
            access=data.access,
            answers=answers,
            duration_minutes=data.duration_minutes,
            motions_refused=data.motions_refused,
            notes=data.notes.strip(),
            confidentiality=level,
        )
        if data.access in REFUSAL_ACT_TYPES:
            report.refusal_act = _record_refusal(user, hearing, data.access)
        return save_checked(user, "add", report)


def _record_refusal(user: User, hearing: Hearing, access: str) -> Act:
    kind = REFUSAL_ACT_TYPES[Access(access)]
    title = (
        "Trial observer refused a visa"
        if access == Access.REFUSED_VISA
        else "Trial observer refused entry to a hearing"
    )
    event = save_checked(
        user,
        "add",
        Event(title=title, date=hearing.date, confidentiality=hearing.confidentiality),
    )
    hearing.case.events.add(event)
    act = Act(
        event=event,
        act_type_id=Term.pk_for("act_type", kind),
        date=hearing.date,
        place=hearing.court,
        place_text=hearing.court_text,
        status="ended",
        description=f"Recorded from an observation report of the hearing of {hearing.date}.",
        known_since=dt.date.today(),
        confidentiality=hearing.confidentiality,
    )
    return save_checked(user, "add", act)


def reports(user: User, hearing: Hearing) -> list[ObservationReport]:
    """The observation reports of a hearing the user may see."""
    qs = ObservationReport.objects.filter(hearing=hearing).select_related("observer")
    return list(restrict(user, "view", qs))


def hearings(user: User, *, case: Any = None, upcoming_from: dt.date | None = None) -> Any:
    """Hearings the user may see, soonest first (optionally of one case, or from a date)."""
    qs = Hearing.objects.select_related("case", "court", "judge", "prosecutor")
    if case is not None:
        qs = qs.filter(case=case)
    if upcoming_from is not None:
        qs = qs.filter(date__gte=upcoming_from)
    return restrict(user, "view", qs).order_by("date", "time", "created_at")
