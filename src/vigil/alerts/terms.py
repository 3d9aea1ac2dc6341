"""Reminders that do not come from a save: a watched person's prison term about to end.

Run by every `vigil deliver` before it sends; a reminder is written once per person, end date
and watcher (its key), so running every minute costs a scan of the watched persons only.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from vigil.alerts.events import notify
from vigil.alerts.models import TERM_ENDING, Watch
from vigil.records.custody import Custody, custody_by_person
from vigil.records.models import Act, Person

#: A term "about to end": its computed end falls within this many days from today.
TERM_ENDING_DAYS = 30


def queue_terms_ending(today: dt.date, days: int = TERM_ENDING_DAYS) -> int:
    """Notify watchers of persons in custody whose term ends within ``days``; how many."""
    watches = Watch.objects.filter(target_type=ContentType.objects.get_for_model(Person))
    ids = list(watches.values_list("target_id", flat=True).distinct())
    if not ids:
        return 0
    states = custody_by_person(Act.objects.filter(victim_person_id__in=ids))
    horizon = today + dt.timedelta(days=days)
    written = 0
    with transaction.atomic():
        for watch in watches.select_related("user", "target_type"):
            state = states.get(watch.target_id)
            if state is None or state.status is not Custody.IN_CUSTODY or not state.term_ends:
                continue
            if not today <= state.term_ends <= horizon:
                continue
            key = f"{TERM_ENDING}:{watch.target_id}:{state.term_ends.isoformat()}"
            written += notify(watch, TERM_ENDING, key, state.act_id, {"act_id": str(state.act_id)})
    return written
