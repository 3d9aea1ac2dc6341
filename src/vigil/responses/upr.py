"""Import UPR recommendations and the state's responses (`vigil responses import-upr FILE`).

The file has the columns ``text, to, decision, From, year, notes``: one row per recommendation
and recommending state. Each row becomes an Intervention of type ``upr_recommendation`` whose
party is the recommending state (an Organisation of kind ``foreign_government``, found by name
or created once), with the state under review's response: "support" is *supported*, "consider"
is *pending* (a response deferred, not an absent one). Ids derive from the recommendation's
number and the recommending state, so a second import changes nothing. The import is atomic:
a row that cannot be read is reported with its line, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q

from vigil.core.errors import ImportFailed
from vigil.core.models import Confidentiality, VigilModel
from vigil.core.validation import MAX_TEXT, check_cells, check_name
from vigil.importers.rows import RowProblem, read_csv_rows
from vigil.records.models import (
    Information,
    Intervention,
    Organisation,
    OrganisationName,
    Source,
    Term,
)
from vigil.records.names import normalised_name
from vigil.records.upsert import UpsertReport, stable_id, upsert_records
from vigil.responses.models import StateResponse

COLUMNS = ("text", "to", "decision", "From", "year", "notes")
REQUIRED = ("text", "to", "decision", "From", "year")
# Size limits per column (characters); other columns get validation.MAX_CELL.
LIMITS = {"text": MAX_TEXT, "notes": MAX_TEXT}
MULTILINE = ("text", "notes")
# The state's answer as written in the file -> Vigil's state_response term.
DECISIONS = {
    "support": "supported",
    "supported": "supported",
    "accepted": "supported",
    "partially support": "partially_supported",
    "partially supported": "partially_supported",
    "consider": "pending",
    "to consider": "pending",
    "noted": "noted",
    "reject": "rejected",
    "rejected": "rejected",
}
SUMMARIES = {
    "supported": "{state} supported the recommendation.",
    "partially_supported": "{state} supported the recommendation in part.",
    "pending": "{state} said it would consider the recommendation (response pending).",
    "noted": "{state} noted the recommendation.",
    "rejected": "{state} rejected the recommendation.",
}
# The Working Group report that records a review's recommendations, by (state, year).
REPORTS = {("belarus", "2010"): "A/HRC/15/16"}
NUMBER = re.compile(r"^\s*(\d+(?:\.{1,2}\d+)+)\.?\s+")
TRAILING_STATES = re.compile(r"\(([^()]+)\)[\s.;)]*$")


@dataclass
class UprReport:
    """What an import did."""

    path: str
    rows: int = 0
    imported: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    by_response: dict[str, int] = field(default_factory=dict)
    upsert: UpsertReport = field(default_factory=UpsertReport)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "rows": self.rows,
            "imported": self.imported,
            "by_response": dict(sorted(self.by_response.items())),
            "created": dict(self.upsert.created),
            "updated": dict(self.upsert.updated),
            "unchanged": self.upsert.total("unchanged"),
        }


@dataclass(frozen=True)
class _Row:
    line: int
    number: str
    text: str
    state: str
    state_long: str
    reviewed: str
    year: str
    response: str
    notes: str


def _read_row(line: int, row: dict[str, str]) -> _Row:
    """Check one row; raises ValueError with the reason."""
    check_cells(row, limits=LIMITS, multiline=MULTILINE)
    text = " ".join(row["text"].split())
    if not text:
        raise ValueError("text: empty (the recommendation's text is required)")
    if not row["From"].strip():
        raise ValueError("From: empty (the recommending state is required)")
    state = check_name(row["From"], "From")
    reviewed = row["to"].strip().casefold()
    if not reviewed:
        raise ValueError("to: empty (the state under review is required)")
    year = row["year"].strip()
    if not re.fullmatch(r"(19|20)\d\d", year):
        raise ValueError(f"year: {row['year']!r} is not a year")
    decision = " ".join(row["decision"].split()).casefold()
    if decision not in DECISIONS:
        known = ", ".join(sorted(DECISIONS))
        raise ValueError(f"decision: unknown value {row['decision']!r} (known: {known})")
    match = NUMBER.match(text)
    number = match.group(1) if match else ""
    trailing = TRAILING_STATES.search(text)
    named = trailing.group(1).strip() if trailing else ""
    # "(Brazil, Italy)" names several states: no long form of one state to learn from it.
    state_long = named if named and "," not in named and named != state else ""
    return _Row(
        line, number, text, state, state_long, reviewed, year, DECISIONS[decision], row["notes"]
    )


class _Plan:
    def __init__(self, reference: str, path: Path) -> None:
        self.reference = reference
        self.records: dict[Any, VigilModel] = {}
        self.states: dict[str, Organisation] = {}
        self.ct = ContentType.objects.get_for_model(Intervention)
        self.source = self.add(
            Source(
                id=stable_id("upr-report", reference),
                title=f"Report of the Working Group on the Universal Periodic Review ({reference})",
                source_type_id=Term.pk_for("source_type", "un_document"),
                publisher="UN Human Rights Council",
                citation=reference,
                notes=f"Recommendations and responses imported from {path.name}.",
                confidentiality=Confidentiality.PUBLIC,
            )
        )

    def add(self, obj: Any) -> Any:
        return self.records.setdefault(obj.pk, obj)

    def state(self, name: str, long_name: str) -> Organisation:
        key = name.casefold()
        if key not in self.states:
            self.states[key] = _existing_state(name) or self.add(
                Organisation(
                    id=stable_id("foreign-government", key),
                    display_name=name,
                    kind_id=Term.pk_for("organisation_kind", "foreign_government"),
                    confidentiality=Confidentiality.PUBLIC,
                )
            )
        org = self.states[key]
        for value, kind, primary in ((name, "official", True), (long_name, "alias", False)):
            if value and org.pk in self.records:
                self.add(
                    OrganisationName(
                        id=stable_id("org-name", org.pk, value),
                        organisation=org,
                        value=value,
                        script="Latn",
                        lang="en",
                        kind=kind,
                        is_primary=primary,
                        normalised=normalised_name(value),
                        confidentiality=Confidentiality.PUBLIC,
                    )
                )
        return org

    def row(self, row: _Row) -> None:
        key = row.number or row.text
        party = self.state(row.state, row.state_long)
        iid = stable_id("upr", row.reviewed, row.year, key, row.state.casefold())
        status = "responded" if row.response != "pending" else "pending"
        label = f"{row.number} " if row.number else ""
        intervention = self.add(
            Intervention(
                id=iid,
                intervention_type_id=Term.pk_for("intervention_type", "upr_recommendation"),
                party=party,
                title=f"UPR {row.year}: recommendation {label}({row.state})",
                reference=self.reference,
                date=dt.date(int(row.year), 1, 1),
                date_precision="year",
                description=row.text,
                status_id=Term.pk_for("intervention_status", status),
                state_response_id=Term.pk_for("state_response", row.response),
                outcome=row.notes.strip()[:300],
                confidentiality=Confidentiality.PUBLIC,
            )
        )
        reviewed = row.reviewed.title()
        self.add(
            StateResponse(
                id=stable_id("upr-response", iid),
                intervention=intervention,
                response_id=Term.pk_for("state_response", row.response),
                summary=SUMMARIES[row.response].format(state=reviewed),
                source=self.source,
                confidentiality=Confidentiality.PUBLIC,
            )
        )
        self.add(
            Information(
                id=stable_id("information", self.source.pk, self.ct.pk, iid),
                source=self.source,
                target_type=self.ct,
                target_id=iid,
                quote=row.text,
                confidentiality=Confidentiality.PUBLIC,
            )
        )

    def take(self) -> list[VigilModel]:
        order = [Source, Organisation, OrganisationName, Intervention, StateResponse, Information]
        return sorted(self.records.values(), key=lambda o: order.index(type(o)))


def _existing_state(name: str) -> Organisation | None:
    """A foreign government already in the record under this name (seed data, an earlier run)."""
    kind = Term.pk_for("organisation_kind", "foreign_government")
    found = list(
        Organisation.objects.real()
        .filter(kind_id=kind)
        .filter(
            Q(display_name__iexact=name)
            | Q(names__normalised=normalised_name(name), names__deleted_at__isnull=True)
        )
        .distinct()[:2]
    )
    return found[0] if len(found) == 1 else None


def import_upr(path: Path, *, reference: str | None = None) -> UprReport:
    """Import a UPR recommendations CSV atomically and idempotently."""
    report = UprReport(path=path.name)
    rows: list[_Row] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for line, raw in read_csv_rows(path, columns=COLUMNS, required=REQUIRED):
        report.rows += 1
        try:
            row = _read_row(line, raw)
        except ValueError as exc:
            report.problems.append(RowProblem(line, str(exc)))
            continue
        key = (row.reviewed, row.year, row.number or row.text, row.state.casefold())
        if key in seen:
            report.problems.append(
                RowProblem(line, f"repeats the recommendation and state of line {seen[key]}")
            )
            continue
        seen[key] = line
        rows.append(row)
    if not report.problems and not rows:
        report.problems.append(RowProblem(1, "no recommendations in the file"))
    reviews = {(r.reviewed, r.year) for r in rows}
    if not report.problems and reference is None:
        unknown = sorted(k for k in reviews if k not in REPORTS)
        if unknown or len(reviews) > 1:
            raise ImportFailed(
                f"{path.name}: the UN document of the review ({', '.join(map(str, reviews))}) "
                "is not known to Vigil; give it with --reference (e.g. A/HRC/15/16)."
            )
    if report.problems:
        raise ImportFailed(
            f"{path.name}: {len(report.problems)} of {report.rows} rows could not be read; "
            "nothing was imported.",
            [(p.line, p.reason) for p in report.problems],
        )
    plan = _Plan(reference or REPORTS[next(iter(reviews))], path)
    for row in rows:
        plan.row(row)
        report.by_response[row.response] = report.by_response.get(row.response, 0) + 1
    with transaction.atomic():
        upsert_records(plan.take(), report.upsert)
    report.imported = len(rows)
    return report
