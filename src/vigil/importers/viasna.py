"""Import the Viasna political-prisoner list format (`vigil import viasna FILE`).

Each row becomes a person, the acts of their case (arrest, charges, sentence, appeal,
release), the judges' involvement, the `counsel` column as participants whose role is
unconfirmed, the place of detention, and the Viasna page as the source of every fact. The row's
identity is the source's `id` column; every derived record gets an id computed from it, so a
second import of the same file changes nothing. The import is atomic: a row that cannot be
understood is reported with its line and reason, and nothing is written (unless ``partial``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q

from vigil.core.chunks import chunked
from vigil.core.errors import ImportFailed
from vigil.core.models import Confidentiality, VigilModel
from vigil.core.validation import (
    MAX_TEXT,
    check_birth_date,
    check_cells,
    check_event_date,
    check_name,
    check_sentence_months,
    check_url,
    refuse_too_long,
)
from vigil.importers import viasna_values as values
from vigil.importers.report import ImportReport
from vigil.importers.rows import RowIds, RowProblem, read_csv_rows
from vigil.names.given_names import is_given_name
from vigil.names.homoglyphs import repair_homoglyphs
from vigil.records.batch import SHARED_LIMIT as BATCH_SHARED_LIMIT
from vigil.records.batch import WRITE_ORDER as BATCH_WRITE_ORDER
from vigil.records.batch import Plan, bulk_cache, new_record
from vigil.records.citations import parse_charges
from vigil.records.models import (
    Act,
    ActCharge,
    Event,
    ExternalId,
    Information,
    Involvement,
    LegalProvision,
    Organisation,
    OrganisationName,
    Participant,
    Person,
    PersonName,
    Source,
    Term,
)
from vigil.records.names import normalised_name
from vigil.records.sentences import PenaltyKind, SentenceError, parse_penalty, parse_term
from vigil.records.upsert import stable_id, upsert_records
from vigil.sanctions.screening import screen_perpetrators

COLUMNS = (
    "id",
    "url",
    "name",
    "status",
    "gender",
    "birthday",
    "arrested",
    "articles",
    "prison_title",
    "decision",
    "penalty",
    "judge",
    "counsel",
    "verdict_date",
    "appeal_date",
    "release_date",
    "description",
)
REQUIRED = ("id", "name")
REGIMES = {
    "general": "general_colony",
    "medium": "medium_colony",
    "maximum": "maximum_colony",
    "special": "special_colony",
    "high_security_prison": "high_security_prison",
    "juvenile": "juvenile_colony",
}
PLACE_KINDS = {"status": None}
SEX = {"male": "male", "female": "female", "": "unknown"}
SHARED_LIMIT = BATCH_SHARED_LIMIT
# The models a row derives, in the order they are written (shared by every importer).
WRITE_ORDER = BATCH_WRITE_ORDER
# Size limits per column (characters); other columns get validation.MAX_CELL.
LIMITS = {"description": MAX_TEXT}
MULTILINE = ("description",)
# Cell texts repeat (articles, terms, penalties, places, judges): each is parsed once.
CELL_CACHE = 4096




# The fields each column sets, per model (acts: per act type). A re-import from a file that
# does not hold a column leaves these fields of an existing record as they are; an existing
# event keeps its title (a corrected name does not rename the prosecution) and an existing
# name whether it is primary (an analyst's choice; a changed name is handled on its own).
_ANCHORS = ("sentence", "arrest", "charge")
COLUMN_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "name": {"person": ("display_name", "name_withheld")},
    "gender": {"person": ("sex",)},
    "birthday": {"person": ("birth_date",)},
    "description": {"person": ("notes",), "information": ("quote",)},
    "status": {"externalid": ("status",)},
    "arrested": {"event": ("date", "date_precision")},
    "verdict_date": {
        "event": ("date", "date_precision"),
        "sentence": ("date", "date_precision", "status"),
        "charges_dismissed": ("date", "date_precision"),
    },
    "decision": {
        "sentence": ("sentence_text", "sentence_months", "fine_amount", "fine_unit", "review_note"),
        "charges_dismissed": ("sentence_text",),
    },
    "penalty": {
        "sentence": (
            "sentence_text", "sentence_regime", "restriction_measure", "suspended", "review_note",
        ),
    },  # fmt: skip
    "prison_title": {kind: ("place", "place_text", "review_note") for kind in _ANCHORS},
    "judge": {"sentence": ("description",)},
}
# Longest texts the act keeps verbatim (its fields' sizes).
MAX_SENTENCE_TEXT = 300
MAX_PLACE_TEXT = 300


def kept_fields(present: Collection[str]) -> Callable[[VigilModel], Collection[str]]:
    """For :func:`upsert_records`: the fields an existing record keeps, given the columns."""
    kept: dict[str, set[str]] = {"event": {"title"}, "personname": {"is_primary"}}
    for column, targets in COLUMN_FIELDS.items():
        if column in present:
            continue
        for key, names in targets.items():
            kept.setdefault(key, set()).update(names)
    act_prefix = len("act_type.")

    def fields_of(obj: VigilModel) -> Collection[str]:
        if isinstance(obj, Act):
            return kept.get(obj.act_type_id[act_prefix:], ())
        return kept.get(str(obj._meta.model_name), ())

    return fields_of


@dataclass(frozen=True)
class RowOutcome:
    """What the importer checks after planning a row: its person, primary name, page, flags."""

    person_id: Any
    primary_name_id: Any | None
    url: str
    review: tuple[str, ...] = ()
    name: str = ""


def term(vocabulary: str, key: str) -> str:
    return Term.pk_for(vocabulary, key)


class _Plan(Plan):
    """The Viasna plan: the shared planner with this module's write order and limit."""

    def __init__(self) -> None:
        super().__init__(WRITE_ORDER)

    @property
    def shared_limit(self) -> int:  # type: ignore[override]  # Plan's attribute, fixed here
        return SHARED_LIMIT


@lru_cache(maxsize=CELL_CACHE)
def _term(cell: str) -> Any:
    return parse_term(cell)


@lru_cache(maxsize=CELL_CACHE)
def _penalty(cell: str) -> Any:
    return parse_penalty(cell)


@lru_cache(maxsize=CELL_CACHE)
def _charges(cell: str) -> tuple[Any, ...]:
    return tuple(parse_charges(cell)) if cell.strip() else ()


@lru_cache(maxsize=CELL_CACHE)
def _place(cell: str) -> values.Place | None:
    return values.classify_place(cell)


@lru_cache(maxsize=CELL_CACHE)
def _people(cell: str, given: Callable[[str], bool]) -> tuple[values.PersonNameParts, ...]:
    return tuple(values.split_people(cell, is_given_name=given)) if cell.strip() else ()


@lru_cache(maxsize=CELL_CACHE * 4)
def _normalised(value: str) -> str:
    # Bounded here; not in the process-wide cache, which would grow with the rows.
    return normalised_name(value, remember=False)


_new = new_record


def _date(text: str, column: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        found = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{column}: {text[:40]!r} is not a date (YYYY-MM-DD)") from None
    if column == "birthday":
        return check_birth_date(found, column)
    return check_event_date(found, column)


def _name(cell: str) -> str:
    """The name cell: empty means withheld (the list's convention); else a checked name."""
    if not cell:
        return ""
    return repair_homoglyphs(check_name(cell, "name"))


def _person_name(
    plan: _Plan, person: Person, value: str, *, primary: bool, shared: bool = False
) -> None:
    pk = stable_id("person-name", person.pk, value)
    if plan.get(pk) is not None:
        return
    name = _new(
        PersonName,
        id=pk,
        person=person,
        value=value,
        script="Latn",
        lang="be",
        kind="transliteration",
        scheme="viasna-latin",
        is_primary=primary,
        normalised=_normalised(value),
    )
    if shared:
        plan.add_shared(name)
    else:
        plan.add(name)


def _named_person(plan: _Plan, parts: values.PersonNameParts, kind: str) -> Person:
    """A judge or named participant: one Person per distinct spelling (humans merge)."""
    display = " ".join(p for p in (parts.given_name, parts.middle, parts.surname) if p)
    pk = stable_id("viasna", kind, display.casefold())
    person = plan.get(pk) or plan.add_shared(_new(Person, id=pk, display_name=display))
    assert isinstance(person, Person)
    _person_name(plan, person, display, primary=True, shared=True)
    if parts.surname_first:
        _person_name(plan, person, parts.text, primary=False, shared=True)
    return person


def _prison(plan: _Plan, place: values.Place) -> Organisation:
    pk = stable_id("place-of-detention", "BY", place.name.casefold())
    org = plan.get(pk) or plan.add_shared(
        _new(
            Organisation,
            id=pk,
            display_name=place.name,
            kind_id=term("organisation_kind", "prison"),
            country="BY",
        )
    )
    assert isinstance(org, Organisation)
    name_pk = stable_id("org-name", org.pk, place.name)
    if plan.get(name_pk) is None:
        plan.add_shared(
            _new(
                OrganisationName,
                id=name_pk,
                organisation=org,
                value=place.name,
                script="Latn",
                lang="en",
                kind="official",
                is_primary=True,
                normalised=_normalised(place.name),
            )
        )
    return org


def _provision(plan: _Plan, provision: Any) -> LegalProvision:
    pk = stable_id(
        "provision", "BY", provision.code, provision.article, provision.part or "",
        provision.point or "",
    )  # fmt: skip
    obj = plan.get(pk) or plan.add_shared(
        _new(
            LegalProvision,
            id=pk,
            # What LegalProvision.save() sets on creation; the bulk insert does not call save().
            confidentiality=Confidentiality.PUBLIC,
            jurisdiction="BY",
            code=provision.code,
            article=provision.article,
            part=provision.part or "",
            point=provision.point or "",
            title=provision.title or "",
        )
    )
    assert isinstance(obj, LegalProvision)
    return obj


def _cite(plan: _Plan, source: Source, ct: Any, target_id: Any, quote: str = "") -> None:
    plan.add(
        _new(
            Information,
            id=stable_id("information", source.pk, ct.pk, target_id),
            source=source,
            target_type=ct,
            target_id=target_id,
            quote=quote,
            reliability_id=None,
        )
    )


def _verbatim(cell: str, column: str, limit: int) -> str:
    """A value Vigil cannot read, kept as written (refused only when too long to keep)."""
    text = " ".join(cell.split())
    refuse_too_long(text, column, limit)
    return text


def _review(column: str, text: str, why: str) -> str:
    shown = text if len(text) <= 120 else text[:117] + "..."
    return f"{column} {shown!r}: {why}; kept as written, needs review"


def plan_row(
    plan: _Plan, row: dict[str, str], given: Callable[[str], bool]
) -> RowOutcome:
    """Add the records one row derives to ``plan``; raises ValueError with the reason.

    A free-text value Vigil cannot read (a decision that is not a term, an unknown penalty or
    place) is kept verbatim on the act, flagged for review; an impossible value (a date that
    does not exist, a term over the limit) refuses the row.
    """
    review: list[str] = []
    check_cells(row, limits=LIMITS, multiline=MULTILINE)
    rid = row["id"].strip()
    if not rid:
        raise ValueError("id: empty (the id column identifies a row)")
    name = _name(row["name"])
    withheld = values.withheld_name(name)
    sex = SEX.get(row["gender"].strip().lower())
    if sex is None:
        raise ValueError(f"gender: unknown value {row['gender']!r}")
    status = values.parse_status(row["status"].strip()) if row["status"].strip() else None
    birthday = _date(row["birthday"], "birthday")
    arrested = _date(row["arrested"], "arrested")
    verdict = _date(row["verdict_date"], "verdict_date")
    appeal = _date(row["appeal_date"], "appeal_date")
    released = _date(row["release_date"], "release_date")
    unread: list[str] = []  # decision and penalty texts kept verbatim
    try:
        sentence_term = _term(row["decision"])
    except SentenceError as exc:
        sentence_term = None
        unread.append(_verbatim(row["decision"], "decision", MAX_SENTENCE_TEXT))
        review.append(_review("decision", unread[-1], _reason(exc, "not a term Vigil can read")))
    if sentence_term is not None:
        check_sentence_months(sentence_term.months, "decision")
    try:
        penalty = _penalty(row["penalty"])
    except SentenceError as exc:
        penalty = None
        unread.append(_verbatim(row["penalty"], "penalty", MAX_SENTENCE_TEXT))
        review.append(_review("penalty", unread[-1], _reason(exc, "not a penalty Vigil knows")))
    charges = _charges(row["articles"])
    unread_place = ""
    try:
        place = _place(row["prison_title"])
    except values.ViasnaValueError:
        place = None
        unread_place = _verbatim(row["prison_title"], "prison_title", MAX_PLACE_TEXT)
        review.append(_review("prison_title", unread_place, "not a place of detention Vigil knows"))
    judges = _people(row["judge"], given)
    counsel = _people(row["counsel"], given)

    url = check_url(row["url"], "url")
    source = plan.add(
        _new(
            Source,
            id=stable_id("viasna-page", url or f"row:{rid}"),
            title=f"Viasna political prisoners list: {url.rsplit('/', 1)[-1] or rid}",
            source_type_id=term("source_type", "web_page"),
            reliability_id=term("source_reliability", "unverified_secondary"),
            url=url,
            publisher='Human Rights Centre "Viasna"',
        )
    )
    assert isinstance(source, Source)
    person = plan.add(
        _new(
            Person,
            id=stable_id("viasna", "row", rid),
            display_name=name,
            name_withheld=withheld,
            sex=sex,
            birth_date=birthday,
            notes=row["description"].strip(),
        )
    )
    assert isinstance(person, Person)
    if not withheld:
        _person_name(plan, person, name, primary=True)
    plan.add(
        _new(
            ExternalId,
            id=stable_id("extid", person.pk, "viasna"),
            person=person,
            scheme="viasna",
            value=rid,
            status=status.value if status else "",
        )
    )
    if url:
        plan.add(
            _new(
                ExternalId,
                id=stable_id("extid", person.pk, "viasna-url"),
                person=person,
                scheme="viasna-url",
                value=url,
            )
        )
    _cite(plan, source, plan.ct_person, person.pk)

    event = plan.add(
        _new(
            Event,
            id=stable_id("viasna", rid, "event"),
            title=f"Criminal prosecution of {name}" if not withheld else "Criminal prosecution",
            date=arrested or verdict,
            date_precision="day" if (arrested or verdict) else "unknown",
        )
    )
    assert isinstance(event, Event)
    _cite(plan, source, plan.ct_event, event.pk, quote=row["description"].strip())

    def act(kind: str, date: dt.date | None, **fields: Any) -> Act:
        obj = plan.add(
            _new(
                Act,
                id=stable_id("viasna", rid, kind),
                event=event,
                act_type_id=term("act_type", kind),
                victim_person=person,
                date=date,
                date_precision="day" if date else "unknown",
                # The list gives no date of learning: the act's own date, flagged as assumed.
                known_since=date,
                known_since_assumed=True,
                **fields,
            )
        )
        assert isinstance(obj, Act)
        return obj

    arrest = act("arrest", arrested) if arrested else None
    sentenced: Act | None = None
    if sentence_term is not None or penalty is not None or verdict or judges or unread:
        sentenced = _sentence_act(act, verdict, sentence_term, penalty, unread)
    if appeal:
        act("appeal_decision", appeal)
    if released:
        act("release", released, status="ended")
    if place is not None and not place.is_organisation:
        # A status in the place column ("House arrest", "Released awaiting ...") is a claim
        # about now, with no date: recorded as an undated act.
        restricted = place.liberty == values.LibertyHint.RESTRICTED_LIBERTY
        kind = "house_arrest" if restricted else "release"
        act(
            f"{kind}",
            None,
            place_text=place.text,
            description=f"Stated by the source: {place.text}",
        )
    anchor = sentenced or arrest
    if anchor is None and (charges or counsel or unread_place):
        anchor = act("charge", None)
    if anchor is not None and place is not None and place.is_organisation:
        anchor.place = _prison(plan, place)
        anchor.place_text = place.text
    if anchor is not None and unread_place:
        anchor.place_text = unread_place
    notes = [r for r in review if not r.startswith("prison_title")]
    if sentenced is not None and notes:
        sentenced.review_note = _note(notes)
    if anchor is not None and unread_place:
        anchor.review_note = _note([anchor.review_note, review[-1]])
    if anchor is not None:
        for i, charge in enumerate(charges):
            plan.add(
                _new(
                    ActCharge,
                    id=stable_id("viasna", rid, "charge", i),
                    act=anchor,
                    provision=_provision(plan, charge.provision),
                    inchoate=charge.inchoate or "",
                    text_as_written=charge.text,
                )
            )
        for parts in counsel:
            lawyer = None if parts.surname_only else _named_person(plan, parts, "participant")
            plan.add(
                _new(
                    Participant,
                    id=stable_id("viasna", rid, "counsel", parts.text.casefold()),
                    act=anchor,
                    person=lawyer,
                    name_text=parts.text,
                    stated_role="counsel",
                    note="Named in the source's `counsel` column; role not confirmed.",
                )
            )
    if sentenced is not None:
        for parts in judges:
            if parts.surname_only:
                sentenced.description = (sentenced.description + f" Judge: {parts.text}.").strip()
                continue
            judge = _named_person(plan, parts, "judge")
            plan.add(
                _new(
                    Involvement,
                    id=stable_id("viasna", rid, "judge", judge.pk),
                    act=sentenced,
                    perpetrator_person=judge,
                    role_id=term("perpetrator_role", "judge"),
                )
            )
    name_id = None if withheld else stable_id("person-name", person.pk, name)
    return RowOutcome(person.pk, name_id, url, tuple(review), name)


def _reason(exc: Exception, fallback: str) -> str:
    message = str(exc)
    return fallback if not message else f"{fallback} ({message})"


def _note(parts: list[str]) -> str:
    """One review note from its parts, within the field's size."""
    text = "; ".join(p for p in parts if p)
    return text if len(text) <= 500 else text[:497] + "..."


def _sentence_act(
    act: Callable[..., Act],
    verdict: dt.date | None,
    sentence_term: Any,
    penalty: Any,
    unread: list[str] | None = None,
) -> Act:
    if sentence_term is not None and sentence_term.dismissed:
        return act("charges_dismissed", verdict, sentence_text=sentence_term.text)
    fields: dict[str, Any] = {"status": "ended" if verdict else "unknown"}
    if sentence_term is not None:
        fields["sentence_text"] = sentence_term.text
        if sentence_term.months is not None:
            fields["sentence_months"] = (
                Decimal(sentence_term.months.numerator) / Decimal(sentence_term.months.denominator)
                if hasattr(sentence_term.months, "numerator")
                else Decimal(sentence_term.months)
            )
        if sentence_term.fine_base_units is not None:
            fields["fine_amount"] = Decimal(sentence_term.fine_base_units)
            fields["fine_unit"] = "base rates"
    if penalty is not None:
        fields["sentence_text"] = "; ".join(
            t for t in (fields.get("sentence_text", ""), penalty.text) if t
        )
        if penalty.regime is not None:
            fields["sentence_regime_id"] = term("detention_regime", REGIMES[penalty.regime])
        if penalty.measure is not None:
            fields["restriction_measure_id"] = term("restriction_measure", penalty.measure.value)
        elif penalty.kind == PenaltyKind.RESTRICTED_FREEDOM:
            # Restriction of liberty with no measure named is still not imprisonment.
            fields["restriction_measure_id"] = term("restriction_measure", "restricted_freedom")
        fields["suspended"] = (
            penalty.suspended or penalty.kind == PenaltyKind.SUSPENDED_IMPRISONMENT
        )
    if unread:
        text = "; ".join(t for t in (fields.get("sentence_text", ""), *unread) if t)
        refuse_too_long(text, "decision and penalty", MAX_SENTENCE_TEXT)
        fields["sentence_text"] = text
    return act("sentence", verdict, **fields)


def import_viasna(
    path: Path,
    *,
    partial: bool = False,
    progress: Callable[[int], None] | None = None,
    batch_rows: int = 2000,
) -> ImportReport:
    """Import a Viasna-format CSV file atomically and idempotently, streaming in batches.

    Rows are planned and written batch by batch inside one transaction; the first bad row
    stops the writing (unless ``partial``) but reading goes on so that every bad row is
    reported, then the transaction is rolled back.
    """
    report = ImportReport(path=path.name)
    plan = _Plan()
    seen = RowIds()
    planned_rows = 0
    header: list[str] = []
    keep: Callable[[VigilModel], Collection[str]] | None = None
    batch: list[tuple[int, str, RowOutcome]] = []
    perpetrators: set[Any] = set()

    def write(records: list[VigilModel]) -> None:
        if "url" not in header:
            records = _without_placeholder_pages(records, batch)
        _note_url_changes(batch, report)
        before = _primary_names(batch)
        upsert_records(records, report.upsert, keep=keep)
        report.renamed += _one_primary_name(batch, before)
        perpetrators.update(
            r.perpetrator_person_id for r in records if isinstance(r, Involvement)
        )

    with bulk_cache(), transaction.atomic():
        for line, row in read_csv_rows(
            path, columns=COLUMNS, required=REQUIRED, header_out=header
        ):
            if keep is None:
                keep = kept_fields(header)
            report.rows += 1
            if progress:
                progress(1)
            rid = row["id"].strip()
            first = seen.first_line(rid, line)
            if first is not None:
                report.problems.append(
                    RowProblem(line, f"id: {rid!r} repeats the row on line {first}")
                )
                continue
            try:
                outcome = plan_row(plan, row, is_given_name)
            except ValueError as exc:
                plan.end_row(keep=False)
                report.problems.append(RowProblem(line, str(exc)))
                continue
            plan.end_row(keep=True)
            report.imported += 1
            batch.append((line, rid, outcome))
            if outcome.review:
                report.review.append(RowProblem(line, "; ".join(outcome.review)))
            planned_rows += 1
            if planned_rows >= batch_rows:
                planned_rows = 0
                records = plan.take()
                written = partial or not report.problems
                if written:
                    write(records)
                plan.settle(written=written)
                batch = []
                del records
        if report.problems and not partial:
            raise ImportFailed(
                f"{path.name}: {len(report.problems)} of {report.rows} rows could not be read; "
                "nothing was imported (use --partial to import the good rows).",
                [(p.line, p.reason) for p in report.problems],
            )
        write(plan.take())
        # A bulk write sends no signal: new (or newly spelled) judges are screened here, at
        # once, against the loaded lists; those already screened against them are not.
        report.screened = screen_perpetrators(perpetrators, only_unscreened=True)
    return report


def _without_placeholder_pages(
    records: list[VigilModel], batch: list[tuple[int, str, RowOutcome]]
) -> list[VigilModel]:
    """A file without a `url` column cites no placeholder page for a person already recorded
    (their Viasna page stays their source); a new person still gets one."""
    pages = {o.person_id: stable_id("viasna-page", f"row:{rid}") for _, rid, o in batch}
    ids = list(pages)
    recorded: set[Any] = set()
    for chunk in chunked(ids, 900):
        recorded.update(Person.all_objects.filter(pk__in=chunk).values_list("pk", flat=True))
    drop = {pages[pk] for pk in recorded}
    return [
        r
        for r in records
        if not (isinstance(r, Source) and r.pk in drop)
        and not (isinstance(r, Information) and r.source_id in drop)
    ]


def _note_url_changes(batch: list[tuple[int, str, RowOutcome]], report: ImportReport) -> None:
    """Report rows whose id was recorded with another Viasna page (before it is updated)."""
    wanted = {
        stable_id("extid", o.person_id, "viasna-url"): (line, rid, o.url)
        for line, rid, o in batch
        if o.url
    }
    ids = list(wanted)
    for chunk in chunked(ids, 900):
        found = ExternalId.all_objects.filter(pk__in=chunk).values_list(
            "pk", "value"
        )
        for pk, old in found:
            line, rid, new = wanted[pk]
            if old and old != new:
                report.url_changes.append((line, rid, old, new))
    report.url_changes.sort()


def _primary_names(batch: list[tuple[int, str, RowOutcome]]) -> dict[Any, str]:
    """The display names of the batch's recorded persons before the batch is written."""
    persons = [o.person_id for _, _, o in batch if o.primary_name_id]
    found: dict[Any, str] = {}
    for chunk in chunked(persons, 900):
        rows = Person.all_objects.filter(pk__in=chunk)
        found.update(rows.values_list("pk", "display_name"))
    return found


def _one_primary_name(batch: list[tuple[int, str, RowOutcome]], before: dict[Any, str]) -> int:
    """A recorded person whose name in the file differs from their recorded name was renamed:
    the new name becomes the one primary name and the others stay as aliases (kept, not
    deleted). An unchanged name leaves the names, and which is primary (perhaps an analyst's
    choice), as recorded. Returns how many persons were renamed."""
    changed = {
        o.person_id: o.primary_name_id
        for _, _, o in batch
        if o.primary_name_id and o.person_id in before and before[o.person_id] != o.name
    }
    persons = list(changed)
    for chunk in chunked(persons, 900):
        names = PersonName.objects.filter(person_id__in=chunk).filter(
            Q(is_primary=True) | Q(pk__in=[changed[p] for p in chunk])
        )
        for name in names:
            primary = name.pk == changed[name.person_id]
            if name.is_primary != primary:
                name.is_primary = primary
                name.save()
    return len(changed)
