"""Load the seed articles' facts into the record as sourced claims (the demo's real-world part).

Every record gets a stable id derived from its key in ``seed_facts.yaml``, so loading twice
changes nothing. Every claim becomes an Information row quoting its source (a seed article:
nothing else is cited); a claim found only in a reader's comment is recorded as such, with the
reliability "reader comment". The file's notes for its maintainers are not written into the
record; a source key in a description or date note is written as the source's title.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from vigil.core.dates import UncertainDate
from vigil.core.models import VigilModel
from vigil.demo import seed_facts as sf
from vigil.records.models import (
    Act,
    ActCharge,
    ClaimKind,
    Event,
    Information,
    Intervention,
    Involvement,
    LegalProvision,
    Organisation,
    OrganisationName,
    Person,
    PersonName,
    Profession,
    Source,
    Statistic,
    Term,
)
from vigil.records.names import normalised_name
from vigil.records.upsert import UpsertReport, stable_id, upsert_records

CLAIM_KINDS = {
    "article": ClaimKind.SOURCE_TEXT,
    "reader_comment": ClaimKind.READER_COMMENT,
}
REPORTED = {
    "rejected": "not recorded: a known error",
    "unconfirmed": "not recorded: needs a second source",
}
CODES = {"Criminal Code": "criminal", "Code of Administrative Offences": "administrative"}


def _partial(value: str | None) -> tuple[dt.date | None, str]:
    parsed = UncertainDate.parse(value or "")
    if parsed is None:
        return None, "unknown"
    return parsed.earliest(), parsed.precision.value


class _Loader:
    def __init__(self, facts: sf.SeedFacts) -> None:
        self.facts = facts
        self.records: list[VigilModel] = []
        self.sources: dict[str, Source] = {}
        self.parties: dict[str, Person | Organisation] = {}
        self.interventions: list[tuple[Intervention, tuple[str, ...]]] = []

    def add(self, obj: VigilModel) -> Any:
        self.records.append(obj)
        return obj

    def cite(self, target: VigilModel, claims: Iterable[sf.Claim], note: str = "") -> None:
        ct = ContentType.objects.get_for_model(type(target))
        for i, claim in enumerate(claims):
            kind = CLAIM_KINDS[claim.claim]
            reliability = "reader_comment" if kind == ClaimKind.READER_COMMENT else None
            self.add(
                Information(
                    id=stable_id("seed-claim", target.pk, i, claim.source, claim.quote),
                    source=self.sources[claim.source],
                    target_type=ct,
                    target_id=target.pk,
                    claim_kind=kind,
                    quote=claim.quote,
                    note=note,
                    reliability_id=(
                        Term.pk_for("source_reliability", reliability) if reliability else None
                    ),
                )
            )

    def load(self) -> list[VigilModel]:
        for source in self.facts.sources:
            self.sources[source.key] = self.add(
                Source(
                    id=stable_id("seed-source", source.key),
                    title=source.title,
                    source_type_id=Term.pk_for("source_type", source.source_type),
                    reliability_id=Term.pk_for("source_reliability", source.reliability),
                    citation=source.seed_file,
                    notes=source.notes,
                )
            )
        for person in self.facts.persons:
            self._person(person)
        for org in self.facts.organisations:
            self._organisation(org)
        for event in self.facts.events:
            self._event(event)
        for stat in self.facts.statistics:
            self._statistic(stat)
        for item in self.facts.interventions:
            self._intervention(item)
        return self.records

    def plain(self, text: str) -> str:
        """``text`` for a reader: source keys (``seed-003``) become the sources' titles."""
        for source in self.facts.sources:
            text = text.replace(source.key, f"“{source.title}”")
        return text

    def _affiliation(self, aff: sf.Affiliation) -> str:
        org = next(o for o in self.facts.organisations if o.key == aff.organisation)
        return f"{aff.role[:1].upper()}{aff.role[1:]} of {org.names[0].value}"

    def _reported(self, rep: sf.ReportedProfession) -> str:
        said = sorted({self.sources[c.source].title for c in rep.claims})
        return (
            f"Reported as {rep.value.replace('_', ' ')} by “{'”, “'.join(said)}”; "
            f"{REPORTED[rep.status]}."
        )

    def _person(self, person: sf.Person) -> None:
        # What the sources say, in words a reader understands; the file's maintainers' notes
        # (person.notes, a reported profession's note) stay in the file.
        notes = [f.text for f in person.facts]
        notes += [self._affiliation(a) for a in person.affiliations]
        notes += [self._reported(r) for r in person.reported_professions]
        obj = self.add(
            Person(
                id=stable_id("seed-person", person.key),
                display_name=person.names[0].value,
                notes="\n".join(n for n in notes if n),
            )
        )
        self.parties[person.key] = obj
        for i, name in enumerate(person.names):
            n = self.add(
                PersonName(
                    id=stable_id("seed-person-name", person.key, name.value),
                    person=obj,
                    value=name.value,
                    script=name.script,
                    lang=name.lang,
                    kind=name.kind,
                    is_primary=i == 0,
                    normalised=normalised_name(name.value),
                )
            )
            self.cite(n, name.claims)
        for prof in person.professions:
            p = self.add(
                Profession(
                    id=stable_id("seed-profession", person.key, prof.value),
                    person=obj,
                    profession_id=Term.pk_for("profession", prof.value),
                )
            )
            self.cite(p, prof.claims)
        for fact in person.facts:
            self.cite(obj, fact.claims, note=fact.text)
        for aff in person.affiliations:
            self.cite(obj, aff.claims, note=self._affiliation(aff))
        for rep in person.reported_professions:
            self.cite(obj, rep.claims, note=self._reported(rep))

    def _organisation(self, org: sf.Organisation) -> None:
        obj = self.add(
            Organisation(
                id=stable_id("seed-org", org.key),
                display_name=org.names[0].value,
                kind_id=Term.pk_for("organisation_kind", org.kind),
                notes="\n".join(f.text for f in org.facts),
            )
        )
        self.parties[org.key] = obj
        for i, name in enumerate(org.names):
            n = self.add(
                OrganisationName(
                    id=stable_id("seed-org-name", org.key, name.value),
                    organisation=obj,
                    value=name.value,
                    script=name.script,
                    lang=name.lang,
                    kind=name.kind,
                    is_primary=i == 0,
                    normalised=normalised_name(name.value),
                )
            )
            self.cite(n, name.claims)
        for fact in org.facts:
            self.cite(obj, fact.claims, note=fact.text)

    def _event(self, event: sf.Event) -> None:
        date, precision = _partial(event.date)
        obj = self.add(
            Event(
                id=stable_id("seed-event", event.key),
                title=event.title,
                date=date,
                date_precision=precision,
                description=self.plain(
                    "\n".join(t for t in (event.description, event.date_note) if t)
                ),
            )
        )
        self.cite(obj, event.claims)
        for i, act in enumerate(event.acts):
            self._act(obj, event.key, i, act)

    def _act(self, event: Event, key: str, i: int, act: sf.Act) -> None:
        date, precision = _partial(act.date)
        end, _ = _partial(act.end_date)
        victim = self.parties.get(act.victim or "")
        description = self.plain(
            "\n".join(
                t for t in (act.description, act.victim_note, act.date_note, act.counsel_note) if t
            )
        )
        obj = self.add(
            Act(
                id=stable_id("seed-act", key, i),
                event=event,
                act_type_id=Term.pk_for("act_type", act.act_type),
                victim_person=victim if isinstance(victim, Person) else None,
                victim_organisation=victim if isinstance(victim, Organisation) else None,
                date=date,
                date_precision=precision,
                date_end=end,
                sentence_months=act.sentence_months,
                outcome=self.plain(act.outcome or ""),
                description=description,
                # The articles give no date of learning: the act's own date, flagged assumed.
                known_since=date,
                known_since_assumed=True,
            )
        )
        self.cite(obj, act.claims)
        for perp in act.perpetrators:
            party = self.parties[perp.party]
            self.add(
                Involvement(
                    id=stable_id("seed-involvement", key, i, perp.party),
                    act=obj,
                    perpetrator_person=party if isinstance(party, Person) else None,
                    perpetrator_organisation=party if isinstance(party, Organisation) else None,
                    role_id=Term.pk_for("perpetrator_role", perp.role),
                )
            )
        for j, basis in enumerate(act.legal_basis):
            if not basis.article:
                self.cite(obj, basis.claims, note=f"Legal basis as stated: {basis.text}")
                continue
            code = CODES.get(basis.code or "", "criminal")
            part = str(basis.part) if basis.part else ""
            provision = self.add(
                LegalProvision(
                    id=stable_id("provision", "BY", code, basis.article, part, ""),
                    jurisdiction="BY",
                    code=code,
                    article=basis.article,
                    part=part,
                )
            )
            charge = self.add(
                ActCharge(
                    id=stable_id("seed-charge", key, i, j),
                    act=obj,
                    provision=provision,
                    text_as_written=basis.text,
                )
            )
            self.cite(charge, basis.claims)

    def _statistic(self, stat: sf.Statistic) -> None:
        as_of, precision = _partial(stat.as_of)
        obj = self.add(
            Statistic(
                id=stable_id("seed-statistic", stat.key),
                subject=stat.subject,
                series=stat.key,
                value=stat.value,
                qualifier=stat.qualifier,
                as_of=as_of,
                as_of_precision=precision,
                source=self.sources[stat.claims[0].source],
                method_note=self.plain("\n".join(t for t in (stat.note, stat.as_of_note) if t)),
            )
        )
        self.cite(obj, stat.claims)

    def _intervention(self, item: sf.Intervention) -> None:
        date, precision = _partial(item.date)
        party = self.parties.get(item.party or "")
        obj = self.add(
            Intervention(
                id=stable_id("seed-intervention", item.key),
                intervention_type_id=Term.pk_for("intervention_type", item.intervention_type),
                party=party if isinstance(party, Organisation) else None,
                title=self.plain(item.subject)[:300],
                date=date,
                date_precision=precision,
                description=self.plain(
                    "\n".join(t for t in (item.party_note, item.date_note) if t)
                ),
            )
        )
        self.cite(obj, item.claims)
        self.interventions.append((obj, item.targets))


def load_seed_facts_into_record(facts: sf.SeedFacts | None = None) -> UpsertReport:
    """Write the seed facts (stable ids: a second load changes nothing)."""
    loader = _Loader(facts or sf.load_seed_facts())
    records = loader.load()
    with transaction.atomic():
        report = upsert_records(records)
        for intervention, targets in loader.interventions:
            persons = [p for t in targets if isinstance(p := loader.parties[t], Person)]
            intervention.persons.set(persons)
    return report
