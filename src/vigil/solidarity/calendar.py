"""The calendar: hearings, appeal deadlines, sentence ends, follow-ups due, 24 January, and the
UN sessions and deadlines an admin entered.

Every item comes from records the user may see (``restrict``), re-read on each request. An
item has two titles: the full one for Vigil's own page, and a generic one ("Hearing",
"Sentence ends") for the iCalendar feed, which leaves Vigil for a calendar application; the
feed shows the full title only of a public record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vigil.policy.access import restrict
from vigil.records.custody import RELEVANT, SERVING, custody_by_person
from vigil.records.models import Act, Intervention, Person, Term
from vigil.responses.models import FollowUp
from vigil.solidarity.models import EndangeredLawyerDay, Hearing, InternationalDate

if TYPE_CHECKING:
    from vigil.accounts.types import User

DEFAULT_DAYS = 90
MAX_DAYS = 400


class Kind:
    HEARING = "hearing"
    APPEAL_DEADLINE = "appeal-deadline"
    SENTENCE_END = "sentence-end"
    FOLLOW_UP = "follow-up"
    ENDANGERED_LAWYER_DAY = "endangered-lawyer-day"
    UN_SESSION = "un-session"
    UPR_DEADLINE = "upr-deadline"
    SUBMISSION_DEADLINE = "submission-deadline"
    INTERNATIONAL_DATE = "international-date"


GENERIC_TITLES = {
    Kind.HEARING: _("Hearing"),
    Kind.APPEAL_DEADLINE: _("Appeal deadline"),
    Kind.SENTENCE_END: _("Sentence ends"),
    Kind.FOLLOW_UP: _("Follow-up due"),
    Kind.ENDANGERED_LAWYER_DAY: _("Day of the Endangered Lawyer"),
    Kind.UN_SESSION: _("UN session"),
    Kind.UPR_DEADLINE: _("UPR deadline"),
    Kind.SUBMISSION_DEADLINE: _("Submission deadline"),
    Kind.INTERNATIONAL_DATE: _("International date"),
}
#: The calendar kind of each kind of international date (solidarity.InternationalDate).
INTERNATIONAL_KINDS = {
    "un_session": Kind.UN_SESSION,
    "upr_deadline": Kind.UPR_DEADLINE,
    "submission_deadline": Kind.SUBMISSION_DEADLINE,
    "other": Kind.INTERNATIONAL_DATE,
}


@dataclass(frozen=True)
class CalendarItem:
    """One dated item; ``uid`` is stable across feeds (kind and record id)."""

    date: dt.date
    kind: str
    subject: str  # what the item is about (a case title, a name), "" for none
    link: str
    uid: str
    public: bool
    time: dt.time | None = None

    @property
    def generic_title(self) -> str:
        """The kind of item, in the active language."""
        return str(GENERIC_TITLES[self.kind])

    @property
    def title(self) -> str:
        """The kind and what it is about, for Vigil's own page."""
        return f"{self.generic_title}: {self.subject}" if self.subject else self.generic_title

    @property
    def feed_title(self) -> str:
        """What the feed may say: the full title only of a public record."""
        return self.title if self.public else self.generic_title


def window(start: dt.date | None = None, days: int = DEFAULT_DAYS) -> tuple[dt.date, dt.date]:
    """The period shown: from ``start`` (today) for ``days`` days, at most MAX_DAYS."""
    first = start or dt.date.today()
    return first, first + dt.timedelta(days=max(1, min(days, MAX_DAYS)))


def items(user: User, start: dt.date, end: dt.date) -> list[CalendarItem]:
    """Every item between ``start`` and ``end`` (inclusive) the user may see, by date."""
    found = [
        *_hearings(user, start, end),
        *_sentence_ends(user, start, end),
        *_follow_ups(user, start, end),
        *_endangered_lawyer_days(start, end),
        *_international_dates(start, end),
    ]
    return sorted(found, key=lambda i: (i.date, i.time or dt.time.min, i.kind, i.title))


def _hearings(user: User, start: dt.date, end: dt.date) -> list[CalendarItem]:
    qs = Hearing.objects.filter(
        Q(date__range=(start, end)) | Q(appeal_deadline__range=(start, end))
    ).select_related("case")
    out = []
    for h in restrict(user, "view", qs):
        link = reverse("solidarity:hearing", args=[h.pk])
        public = h.confidentiality == "public" and h.case.confidentiality == "public"
        if start <= h.date <= end:
            out.append(
                CalendarItem(
                    h.date,
                    Kind.HEARING,
                    h.case.title,
                    link,
                    f"hearing-{h.pk}",
                    public,
                    h.time,
                )
            )
        if h.appeal_deadline and start <= h.appeal_deadline <= end:
            out.append(
                CalendarItem(
                    h.appeal_deadline,
                    Kind.APPEAL_DEADLINE,
                    h.case.title,
                    link,
                    f"appeal-{h.pk}",
                    public,
                )
            )
    return out


def _sentence_ends(user: User, start: dt.date, end: dt.date) -> list[CalendarItem]:
    acts = restrict(
        user,
        "view",
        Act.objects.filter(
            act_type_id__in=[Term.pk_for("act_type", k) for k in RELEVANT],
            victim_person__isnull=False,
        ),
    )
    states = custody_by_person(acts, today=start)
    due = {
        pid: s.term_ends
        for pid, s in states.items()
        if s.status in SERVING and s.term_ends and start <= s.term_ends <= end
    }
    people = restrict(user, "view", Person.objects.filter(pk__in=list(due)))
    return [
        CalendarItem(
            due[p.pk],
            Kind.SENTENCE_END,
            p.display_name,
            reverse("web:person", args=[p.pk]),
            f"sentence-end-{p.pk}",
            p.confidentiality == "public" and not p.name_withheld,
        )
        for p in people
    ]


def _follow_ups(user: User, start: dt.date, end: dt.date) -> list[CalendarItem]:
    out = []
    interventions = restrict(
        user, "view", Intervention.objects.filter(follow_up_due__range=(start, end))
    )
    for i in interventions:
        out.append(
            CalendarItem(
                i.follow_up_due,
                Kind.FOLLOW_UP,
                i.title or i.reference,
                reverse("responses:intervention", args=[i.pk]),
                f"intervention-{i.pk}",
                i.confidentiality == "public",
            )
        )
    steps = restrict(
        user,
        "view",
        FollowUp.objects.filter(due__range=(start, end), done_on__isnull=True).select_related(
            "intervention"
        ),
    )
    for f in steps:
        out.append(
            CalendarItem(
                f.due,
                Kind.FOLLOW_UP,
                f.action,
                reverse("responses:intervention", args=[f.intervention_id]),
                f"follow-up-{f.pk}",
                f.confidentiality == "public" and f.intervention.confidentiality == "public",
            )
        )
    return out


def _endangered_lawyer_days(start: dt.date, end: dt.date) -> list[CalendarItem]:
    editions = {
        e.year: e for e in EndangeredLawyerDay.objects.filter(year__range=(start.year, end.year))
    }
    out = []
    for year in range(start.year, end.year + 1):
        day = dt.date(year, 1, 24)
        if not start <= day <= end:
            continue
        edition = editions.get(year)
        focus = edition.focus_country if edition is not None else ""
        out.append(
            CalendarItem(
                day,
                Kind.ENDANGERED_LAWYER_DAY,
                focus,
                reverse("solidarity:statements"),
                f"endangered-lawyer-day-{year}",
                True,
            )
        )
    return out


def _international_dates(start: dt.date, end: dt.date) -> list[CalendarItem]:
    """UN sessions and deadlines an admin entered: public facts, titled in the feed too."""
    return [
        CalendarItem(
            d.date,
            INTERNATIONAL_KINDS.get(d.kind, Kind.INTERNATIONAL_DATE),
            d.title,
            d.url or reverse("solidarity:calendar"),
            f"international-date-{d.pk}",
            True,
        )
        for d in InternationalDate.objects.filter(date__range=(start, end))
    ]
