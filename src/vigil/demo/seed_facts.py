"""The demo's sourced facts from the seed articles: typed records, loader and checks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import AfterValidator, ConfigDict, Field, TypeAdapter
from pydantic import ValidationError as PydanticValidationError
from pydantic.dataclasses import dataclass

from vigil.core.errors import ValidationFailed

ActType = Literal[
    "warning", "summons", "interrogation", "search", "arrest", "detention", "charge",
    "indictment", "trial", "sentence", "appeal_decision", "disbarment", "licence_suspension",
    "extremist_designation", "liquidation", "ban", "travel_ban", "confiscation", "fine",
    "ill_treatment", "incommunicado_detention", "denial_of_counsel", "refusal_of_entry",
    "release", "pardon", "forced_exile",
]  # fmt: skip
ACT_TYPES: tuple[str, ...] = get_args(ActType)
ClaimKind = Literal["article", "reader_comment"]
OrganisationKind = Literal[
    "ngo", "bar_association", "media", "court", "ministry", "government", "un_mechanism",
    "international_body", "foreign_government", "other",
]  # fmt: skip
Profession = Literal[
    "lawyer", "legal_consultant", "judge", "prosecutor", "investigator", "journalist",
    "human_rights_defender", "activist", "official", "other",
]  # fmt: skip
# `statement`, `hrc_special_session` and `un_resolution` are what the seeds describe without
# naming a more specific instrument; the rest are keys of the intervention-type vocabulary.
InterventionType = Literal[
    "wgad_opinion", "urgent_appeal", "allegation_letter", "hrc_resolution", "hrc_statement",
    "upr_recommendation", "treaty_body_views", "osce_action", "coe_action",
    "government_statement", "sanctions_designation", "bar_statement", "campaign",
    "endangered_lawyer_day", "trial_monitoring", "defence_fund_grant", "relocation",
    "statement", "hrc_special_session", "un_resolution",
]  # fmt: skip
PerpetratorRole = Literal[
    "presiding_judge", "judge", "prosecutor", "investigator", "official_who_ordered",
    "responsible_agency", "author_of_law",
]  # fmt: skip

_PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _check_partial_date(value: str) -> str:
    """Accept YYYY, YYYY-MM or YYYY-MM-DD naming a real year, month or day."""
    if not _PARTIAL_DATE.fullmatch(value):
        raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = ([int(p) for p in value.split("-")] + [1, 1])[:3]
    dt.date(year, month, day)
    return value


PartialDate = Annotated[str, AfterValidator(_check_partial_date)]
_STRICT = ConfigDict(extra="forbid")


@dataclass(config=_STRICT, frozen=True, kw_only=True)
class Claim:
    """A verbatim quote from a source, and whether the article or a reader's comment says it."""

    source: str
    quote: str
    claim: ClaimKind


Claims = Annotated[tuple[Claim, ...], Field(min_length=1)]


@dataclass(config=_STRICT, frozen=True, kw_only=True)
class Source:
    """A seed article (`seed_file`) that claims cite: the only kind of source the demo has."""

    key: str
    title: str
    source_type: Literal["web_page", "media_report"]
    reliability: Literal["unverified_secondary"]
    seed_file: str
    comments_start: str | None = None
    published: PartialDate | None = None
    notes: str = ""


@dataclass(config=_STRICT, frozen=True, kw_only=True)
class Name:
    """One name of a person or organisation, in one script and language.

    A name a seed prints has its claims; a spelling no seed prints (the same name in another
    script) has none and says why it is recorded in ``editorial``.
    """

    value: str
    script: Literal["Latn", "Cyrl"]
    lang: str
    kind: Literal["official", "transliteration", "alias", "previous", "nickname"]
    form: Literal["full", "surname", "short", "acronym", "descriptive"]
    claims: tuple[Claim, ...] = ()
    editorial: str = ""


@dataclass(config=_STRICT, frozen=True, kw_only=True)
class ProfessionClaim:
    """A profession Vigil records for a person, with its claims."""

    value: Profession
    claims: Claims


@dataclass(config=_STRICT, frozen=True, kw_only=True)
class ReportedProfession:
    """A profession a source states but Vigil does not record: a known error or unconfirmed."""

    value: Profession
    status: Literal["rejected", "unconfirmed"]
    note: str
    claims: Claims


@dataclass(config=_STRICT, frozen=True, kw_only=True)
class Affiliation:
    """A person's role in an organisation."""

    organisation: str
    role: str
    claims: Claims
    note: str = ""


@dataclass(config=_STRICT, frozen=True, kw_only=True)
class Fact:
    """Any other sourced statement about a person or organisation."""

    text: str
    claims: Claims


@dataclass(config=_STRICT, frozen=True, kw_only=True)
class Person:
    """A real person named in the seeds, with only what the seeds state."""

    key: str
    names: Annotated[tuple[Name, ...], Field(min_length=1)]
    professions: tuple[ProfessionClaim, ...] = ()
    reported_professions: tuple[ReportedProfession, ...] = ()
    affiliations: tuple[Affiliation, ...] = ()
    facts: tuple[Fact, ...] = ()
    notes: str = ""


@dataclass(config=_STRICT, frozen=True, kw_only=True)
class Organisation:
    """An organisation or state body named in the seeds."""

    key: str
    kind: OrganisationKind
    names: Annotated[tuple[Name, ...], Field(min_length=1)]
    facts: tuple[Fact, ...] = ()
    notes: str = ""


@dataclass(config=_STRICT, frozen=True, kw_only=True)
class Perpetrator:
    """A person or organisation involved in an act as perpetrator, with its role."""

    party: str
    role: PerpetratorRole


@dataclass(config=_STRICT, frozen=True, kw_only=True)
class LegalBasis:
    """The charge or provision an act rests on, as the source words it."""

    text: str
    claims: Claims
    code: str | None = None
    article: str | None = None
    part: int | None = None


@dataclass(config=_STRICT, frozen=True, kw_only=True)
class Act:
    """One thing done to one victim, or to an unnamed group described in `victim_note`."""

    act_type: ActType
    victim: str | None
    date: PartialDate | None
    claims: Claims
    victim_note: str | None = None
    end_date: PartialDate | None = None
    date_note: str = ""
    perpetrators: tuple[Perpetrator, ...] = ()
    legal_basis: tuple[LegalBasis, ...] = ()
    sentence_months: int | None = None
    outcome: str | None = None
    counsel_note: str | None = None
    description: str = ""


@dataclass(config=_STRICT, frozen=True, kw_only=True)
class Event:
    """What happened, when: its acts, or its actors and claims when there is no victim."""

    key: str
    title: str
    date: PartialDate | None
    acts: tuple[Act, ...]
    date_note: str = ""
    actors: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    description: str = ""
    claims: tuple[Claim, ...] = ()


@dataclass(config=_STRICT, frozen=True, kw_only=True)
class Statistic:
    """An aggregate count as a source states it."""

    key: str
    subject: str
    value: int
    qualifier: Literal["exact", "more_than", "about", "at_least"]
    as_of: PartialDate
    claims: Claims
    as_of_note: str = ""
    note: str = ""


@dataclass(config=_STRICT, frozen=True, kw_only=True)
class Intervention:
    """An international response; `party` is null when the source names no one."""

    key: str
    intervention_type: InterventionType
    party: str | None
    targets: tuple[str, ...]
    claims: Claims
    date: PartialDate | None = None
    date_note: str = ""
    party_note: str = ""
    subject: str = ""
    standards: tuple[str, ...] = ()


@dataclass(config=_STRICT, frozen=True, kw_only=True)
class SeedFacts:
    """Everything the demo may state about real people, each fact with its claims."""

    sources: tuple[Source, ...]
    persons: tuple[Person, ...]
    organisations: tuple[Organisation, ...]
    events: tuple[Event, ...]
    statistics: tuple[Statistic, ...]
    interventions: tuple[Intervention, ...]


def parse_seed_facts(text: str) -> SeedFacts:
    """Parse seed facts from YAML text; raise ValidationFailed on any shape or vocabulary error."""
    try:
        return TypeAdapter(SeedFacts).validate_python(yaml.safe_load(text))
    except (yaml.YAMLError, PydanticValidationError) as exc:
        raise ValidationFailed(f"seed facts are invalid: {exc}") from exc


def load_seed_facts() -> SeedFacts:
    """Load the packaged seed facts file."""
    resource = files("vigil.demo").joinpath("data", "seed_facts.yaml")
    return parse_seed_facts(resource.read_text(encoding="utf-8"))


def fold(text: str) -> str:
    """Normalise to NFC and collapse every run of whitespace to one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def iter_claims(node: Any, path: str = "") -> Iterator[tuple[str, Claim]]:
    """Yield (location, claim) for every claim anywhere inside a seed-facts record."""
    if isinstance(node, Claim):
        yield path, node
    elif isinstance(node, tuple):
        for index, item in enumerate(node):
            label = getattr(item, "key", index)
            yield from iter_claims(item, f"{path}[{label}]")
    elif dataclasses.is_dataclass(node):
        for field in dataclasses.fields(node):
            yield from iter_claims(getattr(node, field.name), f"{path}.{field.name}".lstrip("."))


def check_references(facts: SeedFacts) -> list[str]:
    """Problems with keys: duplicates, and references to sources or records that do not exist."""
    problems: list[str] = []
    groups: dict[str, tuple[Any, ...]] = {
        "sources": facts.sources,
        "persons+organisations": facts.persons + facts.organisations,
        "events": facts.events,
        "statistics": facts.statistics,
        "interventions": facts.interventions,
    }
    for group, records in groups.items():
        keys = [record.key for record in records]
        problems += [
            f"duplicate key {k!r} in {group}" for k in sorted(set(keys)) if keys.count(k) > 1
        ]
    sources = {s.key for s in facts.sources}
    persons = {p.key for p in facts.persons}
    organisations = {o.key for o in facts.organisations}
    parties = persons | organisations
    events = {e.key for e in facts.events}

    def need(key: str | None, known: set[str], where: str) -> None:
        if key is not None and key not in known:
            problems.append(f"{where}: unknown key {key!r}")

    for where, claim in iter_claims(facts):
        need(claim.source, sources, where)
    files = [source.seed_file for source in facts.sources]
    problems += [
        f"sources: {name!r} is two sources (one source, one key)"
        for name in sorted(set(files))
        if files.count(name) > 1
    ]
    for owner in facts.persons + facts.organisations:
        for name in owner.names:
            if bool(name.claims) == bool(name.editorial):
                problems.append(
                    f"{owner.key}.names[{name.value}]: needs claims or an editorial reason, "
                    "not both"
                )
    for person in facts.persons:
        for affiliation in person.affiliations:
            need(affiliation.organisation, organisations, f"persons[{person.key}].affiliations")
    for event in facts.events:
        where = f"events[{event.key}]"
        for actor in event.actors:
            need(actor, parties, f"{where}.actors")
        for related in event.related:
            need(related, events - {event.key}, f"{where}.related")
        if not event.acts and not event.claims:
            problems.append(f"{where}: an event without acts needs its own claims")
        for index, act in enumerate(event.acts):
            problems += _check_act(act, f"{where}.acts[{index}]", parties)
    for intervention in facts.interventions:
        where = f"interventions[{intervention.key}]"
        need(intervention.party, organisations, f"{where}.party")
        if intervention.party is None and not intervention.party_note:
            problems.append(f"{where}: a null party needs a party_note")
        for target in intervention.targets:
            need(target, parties, f"{where}.targets")
    return problems


def _check_act(act: Act, where: str, parties: set[str]) -> list[str]:
    """Problems with one act: its victim, perpetrators, sentence and date range."""
    problems: list[str] = []
    if (act.victim is None) == (act.victim_note is None):
        problems.append(f"{where}: needs exactly one of victim, victim_note")
    if act.victim is not None and act.victim not in parties:
        problems.append(f"{where}.victim: unknown key {act.victim!r}")
    problems += [
        f"{where}.perpetrators: unknown key {p.party!r}"
        for p in act.perpetrators
        if p.party not in parties
    ]
    if act.sentence_months is not None and (act.act_type != "sentence" or act.sentence_months <= 0):
        problems.append(f"{where}: sentence_months must be positive and only on a sentence")
    if act.date and act.end_date and act.end_date < act.date:
        problems.append(f"{where}: end_date {act.end_date} is before date {act.date}")
    return problems


def check_quotes(facts: SeedFacts, seeds_dir: Path) -> list[str]:
    """Problems with quotes: not found verbatim, or in the wrong part (article vs comments)."""
    problems: list[str] = []
    texts: dict[str, tuple[str, int | None]] = {}
    for source in facts.sources:
        path = seeds_dir / source.seed_file
        if not path.is_file():
            problems.append(f"sources[{source.key}]: file {source.seed_file!r} not found")
            continue
        text = fold(path.read_text(encoding="utf-8"))
        boundary = None
        if source.comments_start is not None:
            boundary = text.find(fold(source.comments_start))
            if boundary < 0:
                problems.append(f"sources[{source.key}]: comments_start not found")
                continue
        texts[source.key] = (text, boundary)
    for where, claim in iter_claims(facts):
        if claim.source not in texts:
            continue
        text, boundary = texts[claim.source]
        quote = fold(claim.quote)
        if quote not in text:
            problems.append(f"{where}: quote not found in {claim.source}: {claim.quote!r}")
        elif claim.claim == "article" and boundary is not None and quote not in text[:boundary]:
            problems.append(f"{where}: quote is from a reader's comment, not the article")
        elif claim.claim == "reader_comment" and (boundary is None or quote not in text[boundary:]):
            problems.append(f"{where}: quote is not from a reader's comment")
    return problems


def validate(facts: SeedFacts, seeds_dir: Path) -> list[str]:
    """All problems with the seed facts: keys, names and quotes against the seed articles."""
    return check_references(facts) + check_quotes(facts, seeds_dir)
