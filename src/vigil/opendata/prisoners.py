"""The public list of political prisoners: published persons in custody, derived from acts.

Custody is derived from the published acts only, so the list says nothing an unpublished act
would have told. Each row holds allow-listed fields of published records.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from vigil.policy.public import published
from vigil.records.custody import (
    DETAINING,
    SENTENCING,
    Custody,
    CustodyState,
    custody_by_person,
)
from vigil.records.dates import display_date
from vigil.records.models import Act, ActCharge, LegalProvision, Organisation, Person

# Term ended with no release recorded is listed in its own section, never as in custody.
LISTED = (Custody.IN_CUSTODY, Custody.TERM_ENDED, Custody.RESTRICTED)
PRISON_KIND = "organisation_kind.prison"


@dataclass(frozen=True)
class PrisonerRow:
    """One line of the public list."""

    person_id: Any
    name: str
    name_withheld: bool
    status: str
    arrested: str
    articles: tuple[str, ...] = field(default_factory=tuple)
    sentence: str = ""
    place: str = ""
    term_ended: bool = False


def _term_text(months: Decimal | None) -> str:
    if not months:
        return ""
    years, rest = divmod(months, 12)
    parts = [f"{int(years)} years"] if years else []
    if rest:
        parts.append(f"{rest.normalize():f} months")
    return " ".join(parts)


def _arrest(state: CustodyState, acts: list[dict[str, Any]]) -> str:
    """The latest arrest or detention up to the start of the current state, as precisely dated."""
    until = state.since or next((a["date"] for a in acts if a["pk"] == state.act_id), None)
    arrests = [
        a
        for a in acts
        if a["act_type__key"] in DETAINING
        and a["date"] is not None
        and (until is None or a["date"] <= until)
    ]
    if not arrests:
        return ""
    latest = arrests[-1]
    return display_date(latest["date"], latest["date_precision"])


def public_prisoners(*, include_synthetic: bool = False) -> list[PrisonerRow]:
    """Published persons in custody or with restricted liberty, derived from published acts."""
    acts = published(Act, include_synthetic=include_synthetic)
    states = {pid: s for pid, s in custody_by_person(acts).items() if s.status in LISTED}
    persons = {
        pk: (name, withheld)
        for pk, name, withheld in published(Person, include_synthetic=include_synthetic)
        .filter(pk__in=list(states))
        .values_list("pk", "display_name", "name_withheld")
    }
    by_person: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for act in (
        acts.filter(victim_person_id__in=list(persons))
        .order_by("date")
        .values(
            "pk",
            "victim_person_id",
            "act_type__key",
            "date",
            "date_precision",
            "place_id",
            "place_text",
            "sentence_text",
            "sentence_months",
        )
    ):
        by_person[act["victim_person_id"]].append(act)
    sentence_ids = [
        a["pk"] for found in by_person.values() for a in found if a["act_type__key"] in SENTENCING
    ]
    charges: dict[Any, list[Any]] = defaultdict(list)
    for act_id, provision_id in (
        published(ActCharge, include_synthetic=include_synthetic)
        .filter(act_id__in=sentence_ids)
        .values_list("act_id", "provision_id")
    ):
        charges[act_id].append(provision_id)
    provisions = {
        p.pk: str(p)
        for p in published(LegalProvision, include_synthetic=include_synthetic).filter(
            pk__in={p for found in charges.values() for p in found}
        )
    }
    prisons = dict(
        published(Organisation, include_synthetic=include_synthetic)
        .filter(kind_id=PRISON_KIND)
        .values_list("pk", "display_name")
    )
    rows = []
    for pid, (name, withheld) in persons.items():
        found = by_person[pid]
        sentence = next((a for a in reversed(found) if a["act_type__key"] in SENTENCING), None)
        held = next((a for a in reversed(found) if a["place_id"] in prisons), None)
        rows.append(
            PrisonerRow(
                person_id=pid,
                name=name,
                name_withheld=withheld,
                status=states[pid].status.value,
                arrested=_arrest(states[pid], found),
                articles=tuple(
                    sorted({provisions[p] for p in charges[sentence["pk"]] if p in provisions})
                )
                if sentence
                else (),
                sentence=(sentence["sentence_text"] or _term_text(sentence["sentence_months"]))
                if sentence
                else "",
                place=prisons[held["place_id"]] if held else "",
                term_ended=states[pid].term_expired_without_release,
            )
        )
    order = [c.value for c in LISTED]
    rows.sort(key=lambda r: (order.index(r.status), r.name.casefold()))
    return rows


def as_of() -> dt.date:
    """The date the list is derived on."""
    return dt.date.today()
