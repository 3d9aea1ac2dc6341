"""The gap report and designation dossiers as CSV, HTML and PDF (WeasyPrint)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils import translation

from vigil.core.errors import ValidationFailed
from vigil.core.spreadsheet import csv_text
from vigil.policy.access import restrict
from vigil.records.models import Act, Event, Information, Organisation, Person
from vigil.records.sentence_totals import SentenceTotals
from vigil.sanctions.gap import GapReport, GapRow, gap_report
from vigil.sanctions.models import ScreeningMatch

if TYPE_CHECKING:
    from vigil.accounts.types import User

DECISION_ORDER = {"confirmed": 0, "pending": 1, "rejected": 2}
# Sentences handed by kind (``records.sentence_totals``), never added together.
TOTALS_COLUMNS = (
    "months of deprivation of liberty handed",
    "months of restriction of liberty handed",
    "months of suspended sentences",
    "fines",
    "days of arrest",
)


def _totals_cells(row: GapRow) -> list[Any]:
    t = row.totals.as_dict()
    fines = t["fines"] if not row.totals.fines else f"{t['fines']} ({row.totals.fines_text()})"
    return [
        t["deprivation_of_liberty_months"],
        t["restriction_of_liberty_months"],
        t["suspended_months"],
        fines,
        t["arrest_days"],
    ]


def totals_text(totals: SentenceTotals) -> str:
    """Sentences by kind in one English line, each labelled (never one added-up figure)."""
    t = totals.as_dict()
    fines = f"{t['fines']} with a fine" + (f" ({totals.fines_text()})" if totals.fines else "")
    return (
        f"deprivation of liberty {t['deprivation_of_liberty_months']} months; "
        f"restriction of liberty {t['restriction_of_liberty_months']} months; "
        f"suspended {t['suspended_months']} months; {fines}; arrest {t['arrest_days']} days"
    )


def gap_csv(report: GapReport) -> str:
    """One row per perpetrator (persons, then organisations; the last column says which),
    one column per list (never "not sanctioned").

    English whatever the page language, like its headers and the printed reports.
    """
    with translation.override("en"):
        return _gap_csv(report)


def _gap_csv(report: GapReport) -> str:
    # Codes (standing, roles, list names) are identifiers a script filters on; the labels
    # beside them are what a person reads.
    header = [
        "perpetrator",
        "standing",
        "roles",
        "role labels",
        "acts",
        "victims",
        *TOTALS_COLUMNS,
        *[f"{lst.name} (version {lst.version_label})" for lst in report.lists],
        "kind",
    ]
    rows = (
        [
            row.display_name,
            row.standing,
            "; ".join(row.roles),
            "; ".join(row.role_labels),
            len(row.acts),
            len(row.victims),
            *_totals_cells(row),
            *[s.text for s in row.statuses],
            "organisation" if row.is_organisation else "person",
        ]
        for row in [*report.rows, *report.organisations]
    )
    return csv_text(header, rows)


def gap_html(report: GapReport, *, for_pdf: bool = False) -> str:
    return render_to_string("sanctions/gap_report.html", {"report": report, "for_pdf": for_pdf})


def pdf(html: str) -> bytes:
    """Render HTML to PDF with fonts that cover Cyrillic (no network access)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def gap_pdf(report: GapReport) -> bytes:
    return pdf(gap_html(report, for_pdf=True))


def dossier_context(user: User, person: Person | Organisation) -> dict[str, Any]:
    """Everything a designation dossier states about one perpetrator (a person, or an
    organisation) that ``user`` may see."""
    report = gap_report(user)
    if isinstance(person, Organisation):
        rows, side = report.organisations, "organisation"
    else:
        rows, side = report.rows, "person"
    row = next((r for r in rows if getattr(r, side).pk == person.pk), None)
    if row is None:
        # A hidden perpetrator, or one known only through hidden acts, looks like any other
        # person who is not a perpetrator.
        raise ValidationFailed(
            f"{person} is not a perpetrator in the record (no involvement in an act), or "
            "cannot be screened (synthetic, or name withheld)"
        )
    acts = [line.act for line in row.acts]
    sources = _sources_for(user, acts)
    numbered: dict[Any, int] = {}
    for items in sources.values():
        for info in items:
            numbered.setdefault(info.source_id, len(numbered) + 1)
    source_list = sorted(
        {info.source_id: info.source for items in sources.values() for info in items}.items(),
        key=lambda kv: numbered[kv[0]],
    )
    return {
        "row": row,
        "person": person,
        "names": list(restrict(user, "view", person.names.all())),
        "acts": [
            {
                "act": a,
                "role": line.role,
                "role_labels": line.role_labels,
                "charges": list(restrict(user, "view", a.charges.select_related("provision"))),
                "sources": sorted({numbered[i.source_id] for i in sources.get(a.pk, [])}),
            }
            for line, a in zip(row.acts, acts, strict=True)
        ],
        "sources": [(numbered[pk], src) for pk, src in source_list],
        # Confirmed first, then those awaiting review, then rejected: the gap report's order.
        "matches": sorted(
            restrict(user, "view", ScreeningMatch.objects.filter(**{side: person})).select_related(
                "listed_entity", "listed_entity__sanctions_list"
            ),
            key=lambda m: (DECISION_ORDER.get(m.decision, 3), -m.score),
        ),
    }


def _sources_for(user: User, acts: list[Act]) -> dict[Any, list[Information]]:
    """Information supporting each act, directly or through its event."""
    act_ct = ContentType.objects.get_for_model(Act)
    event_ct = ContentType.objects.get_for_model(Event)
    by_event: dict[Any, list[Any]] = {}
    for a in acts:
        by_event.setdefault(a.event_id, []).append(a.pk)
    found: dict[Any, list[Information]] = {}
    infos = restrict(
        user,
        "view",
        Information.objects.filter(
            target_type__in=[act_ct, event_ct],
            target_id__in=[a.pk for a in acts] + list(by_event),
        ),
    ).select_related("source", "source__reliability")
    for info in infos:
        if info.target_type_id == act_ct.pk:
            found.setdefault(info.target_id, []).append(info)
        else:
            for act_id in by_event.get(info.target_id, []):
                found.setdefault(act_id, []).append(info)
    return found


def dossier_pdf(user: User, person: Person | Organisation) -> bytes:
    """The designation dossier of ``person`` (or of an organisation) as ``user`` may see it."""
    return pdf(render_to_string("sanctions/dossier.html", dossier_context(user, person)))


def unsanctioned(report: GapReport) -> list[GapRow]:
    return [row for row in report.rows if row.unsanctioned]
