"""Import ZUBR's administrative court decisions (`vigil import zubr FILE.json`).

Each decision becomes an event with an administrative arrest (its days, and the release the
term implies, marked as derived) and/or an administrative fine, the articles applied, the court
as the place, the judge as a perpetrator, all cited to a source per decision. An act is known
from the decision's court date (the source's own date for it), or, without one, from the event
date flagged as assumed.

ZUBR's ``id`` is not unique in the published file (its pages restart the numbering), so a
decision's identity is its content: every field but the id. A record repeating an earlier one
word for word is reported as a repeat and imported once; the ids stay as the citation's locator.
The same name (surname first, aside removed) with the same sex in several decisions is one
person, and the person's notes say so; a different sex, or a sex missing in one of them, keeps
them apart. Persons recorded from other sources (a Viasna prisoner spelled in Latin) are never
joined: the summary offers them as possible links, and the merge suggestions find them too.

The import is atomic (no partial write unless ``partial``) and idempotent: every record's id
is derived from the decision, so a second import changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from vigil.core.chunks import chunked
from vigil.core.errors import ImportFailed
from vigil.core.models import Confidentiality, VigilModel
from vigil.importers import zubr_values as values
from vigil.importers.report import ImportReport
from vigil.importers.rows import RowProblem
from vigil.importers.zubr_links import PossibleLink, offer_links
from vigil.importers.zubr_records import Decision, read_decision, read_records
from vigil.records.batch import WRITE_ORDER, Plan, bulk_cache, new_record
from vigil.records.models import (
    Act,
    ActCharge,
    ClaimKind,
    Event,
    ExternalId,
    Information,
    Involvement,
    LegalProvision,
    Organisation,
    OrganisationName,
    Person,
    PersonName,
    Source,
    Term,
)
from vigil.records.names import normalised_name
from vigil.records.upsert import stable_id, upsert_records

PUBLISHER = "ZUBR"
DATASET = "ZUBR administrative court decisions (zubr-api, datasets/courts/decisions.json)"
UNCONFIRMED = "Full name not confirmed"


def term(vocabulary: str, key: str) -> str:
    return Term.pk_for(vocabulary, key)


@dataclass
class ZubrReport(ImportReport):
    """The import summary, with repeats, joined persons and the links offered for review."""

    unit: str = "record"
    repeats: list[tuple[int, int, str]] = field(default_factory=list)
    persons: int = 0
    joined: int = 0
    unconfirmed_judges: int = 0
    links: list[PossibleLink] = field(default_factory=list)

    def notes(self) -> list[str]:
        lines = [
            f"Decisions repeated word for word (imported once): {len(self.repeats)}.",
            f"Persons: {self.persons}, of whom {self.joined} are named in several decisions "
            "(same name and sex; the person's notes say so).",
            f"Judges whose full name is not confirmed (initials or surname only): "
            f"{self.unconfirmed_judges}.",
            f"Possible same persons from other sources, offered for review (never merged): "
            f"{len(self.links)}.",
        ]
        for link in self.links[:20]:
            lines.append(f"  {link.describe()}")
        if len(self.links) > 20:
            lines.append(f"  ... and {len(self.links) - 20} more (--json lists them all)")
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {
            **super().as_dict(),
            "repeats": [
                {"record": pos, "repeats_record": first, "zubr_id": zid}
                for pos, first, zid in self.repeats
            ],
            "persons": self.persons,
            "joined_persons": self.joined,
            "unconfirmed_judges": self.unconfirmed_judges,
            "possible_links": [link.as_dict() for link in self.links],
        }


# --- planning -----------------------------------------------------------------------------


class _ZubrPlan(Plan):
    """The shared planner, with what every decision needs: content types and provisions."""

    def __init__(self, groups: dict[tuple[str, str], list[Decision]]) -> None:
        super().__init__(WRITE_ORDER)
        self.groups = groups
        self.ct_act = ContentType.objects.get_for_model(Act)
        # Provisions recorded before (by hand or by another importer) are reused by their key.
        self.provisions = {
            (p.article, p.part): p
            for p in LegalProvision.all_objects.filter(
                jurisdiction="BY", code="administrative", point=""
            )
        }
        self.unconfirmed_judges: set[Any] = set()


def _name(plan: Plan, model: type[VigilModel], owner: VigilModel, value: str) -> None:
    pk = stable_id("zubr", "name", owner.pk, value)
    if plan.get(pk) is not None:
        return
    link = {"person": owner} if model is PersonName else {"organisation": owner}
    plan.add_shared(
        new_record(
            model,
            id=pk,
            value=value,
            script="Cyrl",
            lang="be",
            kind="official",
            is_primary=True,
            normalised=normalised_name(value),
            **link,
        )
    )


def _person(plan: _ZubrPlan, d: Decision) -> Person:
    """The person a decision names: one per normalised name and sex, with why they are one."""
    norm, sex = d.person_key
    pk = stable_id("zubr", "person", norm, sex)
    found = plan.get(pk)
    if found is not None:
        assert isinstance(found, Person)
        return found
    group = plan.groups[d.person_key]
    notes = []
    if len(group) > 1:
        ids = ", ".join(g.zubr_id for g in group[:30]) + (" ..." if len(group) > 30 else "")
        notes.append(
            f"ZUBR: one person across {len(group)} decisions (ZUBR ids {ids}): the same name "
            f"{d.name.key_text!r} and sex ({sex}) in each, and nothing contradicts it (ZUBR "
            "gives no birth date). Joined by the importer; review before relying on it."
        )
    if d.name.form is not values.NameForm.FULL:
        notes.append(f"ZUBR gives {d.name.form.value} only: {d.name.text!r}.")
    if d.name.note:
        notes.append(f"Aside in the source's name: ({d.name.note}).")
    person = plan.add_shared(
        new_record(Person, id=pk, display_name=d.name.display, sex=sex, notes=" ".join(notes))
    )
    assert isinstance(person, Person)
    _name(plan, PersonName, person, d.name.text)
    plan.add_shared(
        new_record(
            ExternalId,
            id=stable_id("zubr", "extid", person.pk),
            person=person,
            scheme="zubr",
            value=f"{d.name.key_text} ({sex})",
        )
    )
    return person


def _judge(plan: _ZubrPlan, d: Decision) -> tuple[Person, str] | None:
    """The judge: one per full name; an unconfirmed one (initials, surname) per court too."""
    j = d.judge
    if j is None:
        return None
    court = " ".join(d.row["court"].split())
    confirmed = j.form is values.NameForm.FULL
    parts = ("zubr", "judge", normalised_name(j.key_text))
    pk = stable_id(*parts) if confirmed else stable_id(*parts, normalised_name(court))
    note = "" if confirmed else f"{UNCONFIRMED}: ZUBR gives only {j.text!r} (court: {court})."
    found = plan.get(pk)
    if found is None:
        notes = note
        if not confirmed:
            notes += " Kept apart from judges of the same name in other courts."
        found = plan.add_shared(new_record(Person, id=pk, display_name=j.display, notes=notes))
        _name(plan, PersonName, found, j.text)
    if not confirmed:
        plan.unconfirmed_judges.add(pk)
    assert isinstance(found, Person)
    return found, note


def _court(plan: Plan, d: Decision) -> Organisation | None:
    court = " ".join(d.row["court"].split())
    if not court:
        return None
    pk = stable_id("zubr", "court", normalised_name(court))
    found = plan.get(pk)
    if found is None:
        found = plan.add_shared(
            new_record(
                Organisation,
                id=pk,
                display_name=court,
                kind_id=term("organisation_kind", values.court_kind(court)),
                country="BY",
            )
        )
        _name(plan, OrganisationName, found, court)
    assert isinstance(found, Organisation)
    return found


def _provision(plan: _ZubrPlan, charge: values.Charge) -> LegalProvision:
    known = plan.provisions.get((charge.article, charge.part))
    if known is not None:
        return known
    pk = stable_id("provision", "BY", "administrative", charge.article, charge.part, "")
    found = plan.get(pk) or plan.add_shared(
        new_record(
            LegalProvision,
            id=pk,
            # What LegalProvision.save() sets on creation; the bulk insert does not call save().
            confidentiality=Confidentiality.PUBLIC,
            jurisdiction="BY",
            code="administrative",
            article=charge.article,
            part=charge.part,
            title=charge.title,
        )
    )
    assert isinstance(found, LegalProvision)
    return found


def _cite(
    plan: Plan, source: Source, ct: Any, target_id: Any, quote: str, derived: bool = False
) -> None:
    plan.add(
        new_record(
            Information,
            id=stable_id("information", source.pk, ct.pk, target_id),
            source=source,
            target_type=ct,
            target_id=target_id,
            quote=quote,
            claim_kind=ClaimKind.DERIVED if derived else ClaimKind.SOURCE_TEXT,
        )
    )


def plan_decision(plan: _ZubrPlan, d: Decision, locators: list[str]) -> None:
    """Add the records one decision derives to ``plan``."""
    row = d.row
    extra = row["extra"].strip()
    court_text = " ".join(row["court"].split())
    when = d.court_date or d.event_date
    source = plan.add(
        new_record(
            Source,
            id=stable_id("zubr", "decision", d.key),
            title=f"ZUBR administrative decision {d.zubr_id}: {d.name.text}, "
            f"{court_text or 'court not stated'}, {when.isoformat()}"[:500],
            source_type_id=term("source_type", "dataset"),
            reliability_id=term("source_reliability", "unverified_secondary"),
            publisher=PUBLISHER,
            citation=f"{DATASET}, decision id {' = '.join(locators)}",
            date=d.court_date,
            date_precision="day" if d.court_date else "unknown",
            notes=extra,
        )
    )
    assert isinstance(source, Source)
    person = _person(plan, d)
    _cite(plan, source, plan.ct_person, person.pk, quote=d.name.text)
    event = plan.add(
        new_record(
            Event,
            id=stable_id("zubr", d.key, "event"),
            title=f"Administrative case of {d.name.display}"[:300],
            description=extra,
            place=court_text[:200],
            date=d.event_date,
            date_precision="day",
        )
    )
    _cite(plan, source, plan.ct_event, event.pk, quote=extra)
    court = _court(plan, d)
    judge = _judge(plan, d)
    if judge is not None:
        _cite(plan, source, plan.ct_person, judge[0].pk, quote=row["judge"].strip())
    # Known from the court's date; without one, from the event date, flagged as assumed.
    known = {"known_since": d.court_date or d.event_date, "known_since_assumed": not d.court_date}

    def act(kind: str, date: dt.date, **fields: Any) -> Act:
        at = {"place": court, "place_text": court_text[:300]}
        obj = plan.add(
            new_record(
                Act,
                id=stable_id("zubr", d.key, kind),
                event=event,
                act_type_id=term("act_type", kind),
                victim_person=person,
                date=date,
                date_precision="day",
                status="ended",
                **known,
                **{**at, **fields},
            )
        )
        assert isinstance(obj, Act)
        return obj

    p = d.penalty
    imposed: list[Act] = []
    if p.arrest_days is not None:
        imposed.append(
            act("administrative_arrest", d.event_date, detention_days=p.arrest_days,
                sentence_text=p.arrest_text[:300])
        )  # fmt: skip
        released = act(
            "release",
            d.event_date + dt.timedelta(days=p.arrest_days),
            place=None,
            place_text="",
            description=f"Derived: the {p.arrest_days}-day administrative arrest ran out "
            "(counted from the event date; the source states the term, not the release).",
        )
        _cite(plan, source, plan.ct_act, released.pk, quote=p.arrest_text, derived=True)
    if p.fine_base_units is not None or p.fine_roubles is not None:
        amount, unit = (
            (p.fine_base_units, "base rates")
            if p.fine_base_units is not None
            else (p.fine_roubles, "BYN")
        )
        roubles = f"{p.fine_roubles} BYN" if p.fine_roubles is not None else ""
        imposed.append(
            act("administrative_fine", d.event_date, fine_amount=amount, fine_unit=unit,
                sentence_text=p.fine_text[:300],
                description=roubles if p.fine_base_units is not None else "")
        )  # fmt: skip
    for a in imposed:
        _cite(plan, source, plan.ct_act, a.pk, quote=f"{row['article'].strip()}; {a.sentence_text}")
        if judge is not None:
            plan.add(
                new_record(
                    Involvement,
                    id=stable_id("zubr", d.key, a.pk, "judge"),
                    act=a,
                    perpetrator_person=judge[0],
                    role_id=term("perpetrator_role", "judge"),
                    note=judge[1],
                )
            )
    for i, charge in enumerate(d.charges):
        plan.add(
            new_record(
                ActCharge,
                id=stable_id("zubr", d.key, "charge", i),
                act=imposed[0],
                provision=_provision(plan, charge),
                text_as_written=charge.text,
            )
        )


# --- the import ---------------------------------------------------------------------------


def import_zubr(
    path: Path,
    *,
    partial: bool = False,
    progress: Callable[[int], None] | None = None,
    batch_rows: int = 2000,
    offer: bool = True,
) -> ZubrReport:
    """Import a ZUBR decisions file atomically and idempotently, writing in batches.

    Every record is read first (so that each bad one is reported with its position and the
    persons named in several decisions are known), then planned and written batch by batch
    inside one transaction; with bad records and without ``partial`` nothing is written.
    """
    report = ZubrReport(path=path.name)
    records = read_records(path)
    decisions: list[Decision] = []
    first: dict[str, Decision] = {}
    locators: dict[str, list[str]] = defaultdict(list)
    for position, raw in enumerate(records, start=1):
        report.rows += 1
        try:
            d = read_decision(position, raw)
        except ValueError as exc:
            zid = raw.get("id") if isinstance(raw, dict) else None
            where = f" (ZUBR id {zid})" if isinstance(zid, str) and zid.strip() else ""
            report.problems.append(RowProblem(position, f"{exc}{where}"))
            continue
        if d.zubr_id not in locators[d.key]:
            locators[d.key].append(d.zubr_id)
        if d.key in first:
            report.repeats.append((position, first[d.key].position, d.zubr_id))
            continue
        first[d.key] = d
        decisions.append(d)
    if report.problems and not partial:
        raise ImportFailed(
            f"{path.name}: {len(report.problems)} of {report.rows} records could not be read; "
            "nothing was imported (use --partial to import the good records).",
            [(p.line, p.reason) for p in report.problems],
            unit="record",
        )
    if progress:
        progress(len(report.problems) + len(report.repeats))
    groups: dict[tuple[str, str], list[Decision]] = defaultdict(list)
    for d in decisions:
        groups[d.person_key].append(d)
    plan = _ZubrPlan(groups)
    with bulk_cache(), transaction.atomic():
        for batch in chunked(decisions, batch_rows):
            for d in batch:
                plan_decision(plan, d, locators[d.key])
                plan.end_row(keep=True)
            upsert_records(plan.take(), report.upsert)
            plan.settle(written=True)
            if progress:
                progress(len(batch))
        report.imported = len(decisions)
        report.persons = len(groups)
        report.joined = sum(1 for g in groups.values() if len(g) > 1)
        report.unconfirmed_judges = len(plan.unconfirmed_judges)
        if offer:
            report.links = offer_links()
    return report
