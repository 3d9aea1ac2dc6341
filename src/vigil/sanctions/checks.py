"""The sanctions lists' check of the record: perpetrators not screened against a loaded list
(``perpetrator_not_screened`` in :data:`vigil.records.checks.KINDS`, registered from the
sanctions app's ``ready()``)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from vigil.core.chunks import chunked
from vigil.records.checks import CHUNK, Finding, RecordView, name_or_withheld
from vigil.records.dates import display_date
from vigil.sanctions.models import ListScreening, SanctionsList
from vigil.sanctions.screening import perpetrators


def perpetrator_not_screened(seen: RecordView) -> list[Finding]:
    """Perpetrators with no screening against the current version of a loaded list."""
    lists = list(seen(SanctionsList.objects.all()))
    if not lists:
        return []
    ids = list(seen(perpetrators()).values_list("pk", flat=True))
    current = {lst.pk: lst.imported_at for lst in lists}
    done: dict[Any, set[int]] = defaultdict(set)
    for chunk in chunked(ids, CHUNK):
        for pid, list_id, imported_at in ListScreening.objects.filter(
            person_id__in=chunk, sanctions_list_id__in=list(current)
        ).values_list("person_id", "sanctions_list_id", "list_imported_at"):
            if current[list_id] == imported_at:
                done[pid].add(list_id)
    missing = {pid: [lst for lst in lists if lst.pk not in done[pid]] for pid in ids}
    missing = {pid: lsts for pid, lsts in missing.items() if lsts}
    names = seen.names(missing)
    return [
        Finding(
            "perpetrator_not_screened",
            str(pid),
            _("%(person)s: not screened against %(lists)s")
            % {
                "person": name_or_withheld(names, pid),
                "lists": ", ".join(_list_name(lst) for lst in missing[pid]),
            },
            reverse("web:perpetrator", args=[pid]),
        )
        for pid in sorted(missing, key=lambda p: (name_or_withheld(names, p), str(p)))
    ]


def _list_name(lst: SanctionsList) -> str:
    """A list's name with its version date when known."""
    if lst.version_date is None:
        return lst.name
    return f"{lst.name} ({display_date(lst.version_date, 'day')})"
