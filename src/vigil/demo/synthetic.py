"""Synthetic demo data: fictional persons, their cases, judges, courts and prisons, in bulk.

Every record written here is flagged ``is_synthetic``. Names come from the fictional list
(:mod:`vigil.names.fictional`); judges, courts and prisons are fictional too, because a synthetic
conviction by a real judge would be an invented fact about a real person. Only the law is real:
charges cite real articles of the Belarus Criminal Code. Output is deterministic for a seed and
is written in batches, so memory stays flat whatever the number of persons.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core import management
from django.db import transaction

from vigil.core.context import current_context
from vigil.core.errors import ValidationFailed
from vigil.core.models import VigilModel
from vigil.demo.synthetic_tables import ARTICLES, FACILITIES, PENALTIES, TERMS
from vigil.names.fictional import fictional_names
from vigil.records.batch import NewRecords, new_record, refresh_statistics
from vigil.records.models import (
    Act,
    ActCharge,
    Counsel,
    Event,
    Information,
    Involvement,
    LegalProvision,
    Organisation,
    OrganisationName,
    Person,
    PersonName,
    Profession,
    Source,
    Term,
)
from vigil.records.names import normalised_name
from vigil.records.upsert import stable_id

EXTRA_ACTS = ("search", "interrogation", "denial_of_counsel", "ill_treatment", "detention")
FIRST_ARREST = dt.date(2020, 8, 9)
LAST_ARREST = dt.date(2025, 6, 30)
# A fixed "today" keeps the output deterministic: releases never fall after it.
REFERENCE_DATE = dt.date(2026, 6, 30)
BATCH_PERSONS = 2000
SEARCH_INDEX_COMMAND = "search-index"
TENTH = Decimal("0.1")  # sentence_months keeps one decimal: history holds the stored value
M = TypeVar("M", bound=VigilModel)
NOTE = "Synthetic demo record: a fictional person, not a real case."


def _term(vocabulary: str, key: str) -> str:
    return Term.pk_for(vocabulary, key)


def _days(rng: random.Random, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(low, high))


def maker(model: type[M]) -> Callable[..., M]:
    """A constructor of ``model`` giving what ``model(**fields)`` gives, several times faster
    (:func:`vigil.records.batch.new_record`)."""
    return partial(new_record, model)


@dataclass
class _Writer:
    """Plans synthetic records with ordered ids; writes them with their first versions."""

    base: int
    issued: int = 0
    records: NewRecords = field(default_factory=lambda: NewRecords(batch_size=1000))

    @property
    def counts(self) -> Counter[str]:
        return self.records.counts

    def id(self) -> uuid.UUID:
        """The next record id: random per seed, then ascending, so indexes fill in order."""
        self.issued += 1
        return uuid.UUID(int=self.base | self.issued, version=4)

    def add(self, obj: M) -> M:
        """Plan ``obj`` as a synthetic record."""
        obj.is_synthetic = True
        return self.records.add(obj)

    def new(self, model: type[M], **fields: Any) -> M:
        """Plan a new synthetic record of ``model`` with the next id."""
        return self.add(new_record(model, id=self.id(), **fields))

    def flush(self) -> None:
        # Models were first added in dependency order, and dicts keep insertion order.
        self.records.flush()


@dataclass
class _Pools:
    """The shared fictional actors and places that persons' cases refer to, by id."""

    source: uuid.UUID
    district_courts: list[uuid.UUID]
    regional_courts: list[uuid.UUID]
    judges_by_court: dict[uuid.UUID, list[uuid.UUID]]
    lawyers: list[uuid.UUID]
    prosecutors: list[uuid.UUID]
    facilities: dict[str, list[uuid.UUID]]
    provisions: list[uuid.UUID]
    ct_person: int
    ct_event: int


def _names(
    w: _Writer, model: type[VigilModel], owner: str, obj: VigilModel, latin: str, cyrillic: str
) -> None:
    """A Latin (primary) and a Cyrillic name for a person or organisation."""
    for value, script, kind in ((latin, "Latn", "transliteration"), (cyrillic, "Cyrl", "official")):
        w.new(
            model, value=value, script=script, lang="be", kind=kind, is_primary=script == "Latn",
            normalised=normalised_name(value), **{owner: obj},
        )  # fmt: skip


def _organisation(w: _Writer, kind: str, latin: str, cyrillic: str) -> uuid.UUID:
    org = w.new(
        Organisation, display_name=latin, country="BY", notes=NOTE,
        kind_id=_term("organisation_kind", kind),
    )  # fmt: skip
    _names(w, OrganisationName, "organisation", org, latin, cyrillic)
    return org.pk


def _professional(w: _Writer, rng: random.Random, profession: str) -> uuid.UUID:
    sex = rng.choice(("male", "female"))
    latin, cyrillic = fictional_names().person(rng, sex)
    person = w.new(Person, display_name=latin, sex=sex, nationality="BY", notes=NOTE)
    _names(w, PersonName, "person", person, latin, cyrillic)
    w.new(Profession, person=person, profession_id=_term("profession", profession))
    return person.pk


def _provisions(w: _Writer) -> list[uuid.UUID]:
    """The cited articles, reusing a provision already recorded (the law is shared)."""
    ids = [stable_id("provision", "BY", "criminal", a, p, "") for a, p, _, _ in ARTICLES]
    existing = LegalProvision.all_objects.in_bulk(ids)
    for pk, (article, part, title, _) in zip(ids, ARTICLES, strict=True):
        if pk not in existing:
            w.add(LegalProvision(
                id=pk, jurisdiction="BY", code="criminal", article=article, part=part,
                title=title, confidentiality="public",
            ))  # fmt: skip
    return ids


def _pools(w: _Writer, rng: random.Random, persons: int, seed: int) -> _Pools:
    """The courts, judges, prosecutors, lawyers, places, laws and source that cases share."""
    source = w.add(Source(
        id=stable_id("synthetic-source", seed), notes=NOTE,
        title=f"Synthetic demo data (fictional, seed {seed})",
        source_type_id=_term("source_type", "dataset"),
        reliability_id=_term("source_reliability", "unknown"), publisher="Vigil demo generator",
    ))  # fmt: skip
    stems = list(fictional_names().stems)
    rng.shuffle(stems)
    regional = [
        _organisation(w, "court", f"{s[0]}ski Regional Court", f"{s[1]}скі абласны суд")
        for s in stems[:6]
    ]
    places = [stems[i % len(stems)] for i in range(max(4, min(120, persons // 400)))]
    district = [
        _organisation(w, "court", f"{s[0]}ski District Court No. {i + 1}",
                      f"Суд {s[1]}скага раёна № {i + 1}")
        for i, s in enumerate(places)
    ]  # fmt: skip
    courts = district + regional
    judges: dict[uuid.UUID, list[uuid.UUID]] = {c: [] for c in courts}
    for i in range(max(len(courts), min(2000, persons // 50))):
        judges[courts[i % len(courts)]].append(_professional(w, rng, "judge"))
    lawyers = [_professional(w, rng, "lawyer") for _ in range(max(3, min(1000, persons // 100)))]
    prosecutors = [
        _professional(w, rng, "prosecutor") for _ in range(max(3, min(1000, persons // 100)))
    ]
    facilities = {
        key: [
            _organisation(w, "prison", f"{latin} No. {n}", f"{cyrillic} № {n}")
            for n in rng.sample(range(901, 1000), count)
        ]
        for key, latin, cyrillic, count in FACILITIES
    }
    return _Pools(
        source=source.pk, district_courts=district, regional_courts=regional,
        judges_by_court=judges, lawyers=lawyers, prosecutors=prosecutors,
        facilities=facilities,
        provisions=_provisions(w), ct_person=ContentType.objects.get_for_model(Person).pk,
        ct_event=ContentType.objects.get_for_model(Event).pk,
    )  # fmt: skip


def _act_count(rng: random.Random, mean: float) -> int:
    """A number of acts whose expectation is ``mean`` (for means of 2 and more), at least 1."""
    base = int(mean + rng.random())
    return max(1, base + rng.choice((-1, 0, 0, 1)))


def _weighted(rng: random.Random, table: Sequence[tuple[Any, ...]]) -> tuple[Any, ...]:
    return rng.choices(table, weights=[row[-1] for row in table])[0]


def _served_in(regime: str | None, measure: str | None) -> str | None:
    """The kind of facility a sentence is served in (none for home confinement)."""
    if measure == "open_facility":
        return "open"
    if measure:
        return None
    return "prison" if regime == "high_security_prison" else "colony"


def _person(w: _Writer, rng: random.Random, pools: _Pools, acts_per_person: float) -> None:
    """Plan one fictional victim with the acts of their case."""
    sex = rng.choices(("male", "female"), weights=(77, 23))[0]
    latin, cyrillic = fictional_names().person(rng, sex)
    birth = dt.date(1950, 1, 1) + _days(rng, 0, 55 * 365) if rng.random() < 0.65 else None
    person = w.new(
        Person, display_name=latin, sex=sex, birth_date=birth, nationality="BY", notes=NOTE
    )
    _names(w, PersonName, "person", person, latin, cyrillic)
    arrested = FIRST_ARREST + _days(rng, 0, (LAST_ARREST - FIRST_ARREST).days)
    event = w.new(Event, title=f"Criminal prosecution of {latin}", date=arrested)
    for ct, target in ((pools.ct_person, person.pk), (pools.ct_event, event.pk)):
        w.new(Information, source_id=pools.source, target_type_id=ct, target_id=target)

    def act(kind: str, date: dt.date | None, place: uuid.UUID | None, **fields: Any) -> Act:
        return w.new(
            Act, event=event, act_type_id=_term("act_type", kind), victim_person=person,
            date=date, place_id=place, date_precision="day" if date else "unknown",
            known_since=date, known_since_assumed=True, **fields,
        )  # fmt: skip

    def judged(act: Act, judge: uuid.UUID, role: str) -> None:
        w.new(Involvement, act=act, perpetrator_person_id=judge,
              role_id=_term("perpetrator_role", role))  # fmt: skip

    wanted = _act_count(rng, acts_per_person)
    act("arrest", arrested, rng.choice(pools.facilities["sizo"]), status="ended")
    if wanted == 1:
        return
    months, term_text, _ = _weighted(rng, TERMS)
    regime, measure, penalty_text, _ = _weighted(rng, PENALTIES)
    court = rng.choice(pools.district_courts)
    verdict = arrested + _days(rng, 60, 300)
    sentence = act(
        "sentence", verdict, court, status="ended", sentence_months=Decimal(months).quantize(TENTH),
        sentence_text=f"{term_text}; {penalty_text}",
        sentence_regime_id=_term("detention_regime", regime) if regime else None,
        restriction_measure_id=_term("restriction_measure", measure) if measure else None,
    )  # fmt: skip
    for provision in rng.sample(pools.provisions, rng.choices((1, 2, 3), (70, 20, 10))[0]):
        w.new(ActCharge, act=sentence, provision_id=provision)
    bench = pools.judges_by_court[court]
    panel = rng.sample(bench, 2 if len(bench) > 1 and rng.random() < 0.1 else 1)
    for i, judge in enumerate(panel):
        judged(sentence, judge, "presiding_judge" if i == 0 else "judge")
    if rng.random() < 0.6:
        judged(sentence, rng.choice(pools.prosecutors), "prosecutor")
    if rng.random() < 0.35:
        w.new(Counsel, act=sentence, lawyer_id=rng.choice(pools.lawyers))
    served = _served_in(regime, measure)
    ends = verdict + dt.timedelta(days=int(months * 30.4))
    optional = ["appeal", "release"]
    rng.shuffle(optional)
    for kind in (optional + [rng.choice(EXTRA_ACTS) for _ in range(wanted)])[: wanted - 2]:
        if kind == "appeal":
            court = rng.choice(pools.regional_courts)
            appeal = act("appeal_decision", verdict + _days(rng, 45, 120), court,
                         status="ended", outcome="sentence upheld")  # fmt: skip
            judged(appeal, rng.choice(pools.judges_by_court[court]), "presiding_judge")
        elif kind == "release":
            early = ends > REFERENCE_DATE
            released = verdict + _days(rng, 30, (REFERENCE_DATE - verdict).days) if early else ends
            place = rng.choice(pools.facilities[served]) if served else None
            outcome = "released early" if early else "served the full term"
            act("release", released, place, status="ended", outcome=outcome)
        else:
            act(kind, arrested + _days(rng, -30, 30), None)


def generate(
    persons: int,
    acts_per_person: float = 3.0,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
    *,
    index: bool = True,
) -> dict[str, int]:
    """Write ``persons`` fictional persons with their cases; return the records made per model.

    Runs under the caller's change context and commits per batch of persons (inside a
    caller's transaction, the batches are savepoints of it); the same seed gives the same
    records, and a seed already in this database (even from an interrupted run) is refused.
    Bulk inserts bypass whatever keeps the name-search index current, so with ``index`` the
    index is rebuilt afterwards (when the search app provides ``search-index``).
    """
    if persons < 0 or acts_per_person < 1:
        raise ValidationFailed("persons must be 0 or more, acts per person 1 or more.")
    current_context()  # fail before writing anything when no context is active
    if Source.all_objects.filter(pk=stable_id("synthetic-source", seed)).exists():
        raise ValidationFailed(
            f"Synthetic data for seed {seed} is already in this database; use another seed."
        )
    rng = random.Random(seed)
    writer = _Writer(base=rng.getrandbits(64) << 64)
    with transaction.atomic():
        pools = _pools(writer, rng, persons, seed)
        writer.flush()
    refresh_statistics()
    for start in range(0, persons, BATCH_PERSONS):
        size = min(BATCH_PERSONS, persons - start)
        for _ in range(size):
            _person(writer, rng, pools, acts_per_person)
        # One transaction per batch keeps SQLite's write-ahead log small: one transaction
        # over 100k persons grew it to gigabytes, rewriting spilled pages again and again.
        with transaction.atomic():
            writer.flush()
        # The next batch's stored custody refresh plans its reads on the tables' new sizes.
        refresh_statistics()
        if progress:
            progress(size)
    if index:
        refresh_search_index()
    return dict(writer.counts)


def refresh_search_index() -> bool:
    """Rebuild the name-search index if ``vigil search-index`` exists; whether it ran."""
    if SEARCH_INDEX_COMMAND not in management.get_commands():
        return False
    management.call_command(SEARCH_INDEX_COMMAND, stdout=io.StringIO())
    return True
