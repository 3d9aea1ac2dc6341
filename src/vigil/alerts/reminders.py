"""Events that come from dates and list versions, not from a save: run by every `vigil deliver`.

- ``hearing.due``: a hearing of a watched case, or of a case a watched person is in, falls
  within :data:`HEARING_DUE_DAYS` days from today;
- ``follow_up.due``: a follow-up (or an intervention's follow-up date) concerning a watched
  person or case was reached, at most :data:`FOLLOW_UP_LOOKBACK_DAYS` days ago, and is not done;
- ``sanctions.listed`` / ``sanctions.delisted``: a list version imported in the last
  :data:`SANCTIONS_LOOKBACK_DAYS` days added (or re-listed) or removed an entry confirmed (in
  the screening review) to be a watched perpetrator.

Each is keyed by its record and date (or list change), so a run every minute writes each
reminder once per watcher; nothing is written when nobody watches.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from vigil.alerts.events import notify, watches_for
from vigil.alerts.models import (
    FOLLOW_UP_DUE,
    HEARING_DUE,
    SANCTIONS_DELISTED,
    SANCTIONS_LISTED,
    Watch,
)

HEARING_DUE_DAYS = 7
FOLLOW_UP_LOOKBACK_DAYS = 7
SANCTIONS_LOOKBACK_DAYS = 30


def queue_reminders(today: dt.date) -> int:
    """Every dated and list-version reminder due ``today``; how many notifications written."""
    if not Watch.objects.exists():
        return 0
    with transaction.atomic():
        return hearings_due(today) + follow_ups_due(today) + sanctions_changes(today)


def _persons_of_cases(case_ids: Iterable[Any]) -> dict[Any, set[Any]]:
    from vigil.records.models import Case

    out: dict[Any, set[Any]] = defaultdict(set)
    through = Case.persons.through.objects.filter(case_id__in=list(case_ids))
    for case_id, person_id in through.values_list("case_id", "person_id"):
        out[case_id].add(person_id)
    return out


def hearings_due(today: dt.date, days: int = HEARING_DUE_DAYS) -> int:
    from vigil.solidarity.models import Hearing

    hearings = list(Hearing.objects.filter(date__range=(today, today + dt.timedelta(days=days))))
    if not hearings:
        return 0
    persons = _persons_of_cases({h.case_id for h in hearings})
    written = 0
    for h in hearings:
        for w in watches_for(persons.get(h.case_id, ()), [h.case_id]):
            key = f"{HEARING_DUE}:{h.pk}:{h.date.isoformat()}"
            written += notify(w, HEARING_DUE, key, h.pk, {"hearing_id": str(h.pk)})
    return written


def _intervention_links(ids: Iterable[Any]) -> tuple[dict[Any, set[Any]], dict[Any, set[Any]]]:
    from vigil.records.models import Intervention

    ids = list(ids)
    persons: dict[Any, set[Any]] = defaultdict(set)
    cases: dict[Any, set[Any]] = defaultdict(set)
    for i, p in Intervention.persons.through.objects.filter(intervention_id__in=ids).values_list(
        "intervention_id", "person_id"
    ):
        persons[i].add(p)
    for i, c in Intervention.cases.through.objects.filter(intervention_id__in=ids).values_list(
        "intervention_id", "case_id"
    ):
        cases[i].add(c)
    return persons, cases


def notify_intervention_watchers(
    intervention_id: Any, kind: str, key: str, subject_id: Any, extra: dict[str, str]
) -> int:
    """Notify the watchers of the persons and cases an intervention concerns."""
    persons, cases = _intervention_links([intervention_id])
    written = 0
    for w in watches_for(persons[intervention_id], cases[intervention_id]):
        written += notify(w, kind, key, subject_id, extra)
    return written


def follow_ups_due(today: dt.date, lookback: int = FOLLOW_UP_LOOKBACK_DAYS) -> int:
    from vigil.records.models import Intervention
    from vigil.responses.models import FollowUp

    window = (today - dt.timedelta(days=lookback), today)
    steps = list(FollowUp.objects.filter(due__range=window, done_on__isnull=True))
    dated = list(Intervention.objects.filter(follow_up_due__range=window))
    if not steps and not dated:
        return 0
    persons, cases = _intervention_links({s.intervention_id for s in steps} | {i.pk for i in dated})
    written = 0
    for s in steps:
        key = f"{FOLLOW_UP_DUE}:{s.pk}:{s.due.isoformat()}"
        extra = {"intervention_id": str(s.intervention_id), "follow_up_id": str(s.pk)}
        for w in watches_for(persons[s.intervention_id], cases[s.intervention_id]):
            written += notify(w, FOLLOW_UP_DUE, key, s.pk, extra)
    for i in dated:
        key = f"{FOLLOW_UP_DUE}:{i.pk}:{i.follow_up_due.isoformat()}"
        for w in watches_for(persons[i.pk], cases[i.pk]):
            written += notify(w, FOLLOW_UP_DUE, key, i.pk, {"intervention_id": str(i.pk)})
    return written


def sanctions_changes(today: dt.date, lookback: int = SANCTIONS_LOOKBACK_DAYS) -> int:
    from vigil.sanctions.models import Decision, ListChange, ScreeningMatch

    since = dt.datetime.combine(today - dt.timedelta(days=lookback), dt.time.min, tzinfo=dt.UTC)
    changes = list(
        ListChange.objects.filter(change__in=("added", "changed", "removed"), at__gte=since)
    )
    if not changes:
        return 0
    matches: dict[tuple[Any, str], list[Any]] = defaultdict(list)
    confirmed = ScreeningMatch.objects.filter(
        decision=Decision.CONFIRMED,
        listed_entity__entity_id__in={c.entity_id for c in changes},
    ).select_related("listed_entity")
    for m in confirmed:
        matches[(m.listed_entity.sanctions_list_id, m.listed_entity.entity_id)].append(m)
    written = 0
    for c in changes:
        found = matches.get((c.sanctions_list_id, c.entity_id))
        if not found:
            continue
        kind = _listing_kind(c)
        if kind is None:
            continue
        for m in found:
            persons = [m.person_id] if m.person_id else []
            organisations = [m.organisation_id] if m.organisation_id else []
            for w in watches_for(persons, [], organisations):
                key = f"{kind}:{c.pk}:{m.pk}"
                written += notify(w, kind, key, m.pk, {"match_id": str(m.pk)})
    return written


def _listing_kind(change: Any) -> str | None:
    """Listed, delisted, or None for an amended entry (a re-listed one is "changed" after
    "removed" in the list's history)."""
    from vigil.sanctions.models import ListChange

    if change.change == "added":
        return SANCTIONS_LISTED
    if change.change == "removed":
        return SANCTIONS_DELISTED
    before = (
        ListChange.objects.filter(
            sanctions_list_id=change.sanctions_list_id, entity_id=change.entity_id, at__lt=change.at
        )
        .order_by("-at", "-pk")
        .values_list("change", flat=True)
        .first()
    )
    return SANCTIONS_LISTED if before == "removed" else None
