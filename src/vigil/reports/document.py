"""The country report as HTML and PDF (WeasyPrint), with its charts embedded as SVG."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from django.template.backends.django import DjangoTemplates
from django.utils.functional import lazy
from django.utils.translation import ngettext

from vigil.reports.charts import chart, data_uri
from vigil.reports.coverage import Coverage
from vigil.reports.figures import Figure, all_figures

SHOWN_ROWS = 15
FORMATS = ("pdf", "html")
# Time series show their latest rows in print; ranked figures their top rows.
LATEST_FIRST = {"detained-by-month"}


@cache
def templates() -> DjangoTemplates:
    """This package's template engine (works whether or not the app is installed)."""
    return DjangoTemplates(
        {
            "NAME": "country_reports",
            "DIRS": [Path(__file__).resolve().parent / "templates"],
            "APP_DIRS": False,
            "OPTIONS": {},
        }
    )


def _cells(row: tuple[Any, ...]) -> list[tuple[Any, bool]]:
    """Each value with whether it is a count (right-aligned)."""
    return [(v, isinstance(v, int | float) and not isinstance(v, bool)) for v in row]


def _shown_label(count: int, latest: bool) -> str:
    """ "latest 15" or "first 15" rows, for "The latest 15 of 40 rows; the full table:"."""
    if latest:
        text = ngettext("latest %(count)s", "latest %(count)s", count)
    else:
        text = ngettext("first %(count)s", "first %(count)s", count)
    return text % {"count": count}


# Translated when the template shows it, in the document's language (English by default).
shown_label = lazy(_shown_label, str)


def _section(figure: Figure) -> dict[str, Any]:
    canvas = chart(figure)
    latest = figure.name in LATEST_FIRST and len(figure.rows) > SHOWN_ROWS
    shown = figure.rows[-SHOWN_ROWS:] if latest else figure.rows[:SHOWN_ROWS]
    return {
        "figure": figure,
        "chart": data_uri(canvas) if canvas is not None else None,
        "rows": [_cells(r) for r in shown],
        "headers": list(zip(figure.columns, [n for _, n in _cells(figure.rows[0])], strict=True))
        if figure.rows
        else [],
        "more_rows": len(figure.rows) - len(shown),
        "shown_label": shown_label(len(shown), latest),
    }


def report_context(coverage: Coverage) -> dict[str, Any]:
    """Everything the report shows for ``coverage``'s user: each figure, chart, period, sources."""
    from vigil.reports.howmany import ASSUMPTIONS, how_many

    figures = all_figures(coverage)
    return {
        "generated": dt.date.today(),
        "coverage": coverage,
        "sections": [_section(f) for f in figures],
        "missing": [f for f in figures if not f.rows],
        "how_many": how_many(coverage),
        "assumptions": ASSUMPTIONS,
    }


def report_html(coverage: Coverage) -> str:
    """The report as a standalone HTML page."""
    template = templates().get_template("country_reports/country_report.html")
    return template.render(report_context(coverage))


def report_pdf(coverage: Coverage) -> bytes:
    """The report as PDF."""
    from weasyprint import HTML

    return HTML(string=report_html(coverage)).write_pdf()


def render(format: str, coverage: Coverage) -> bytes:  # noqa: A002 - the CLI's word
    """The report in ``format`` (pdf or html)."""
    if format == "pdf":
        return report_pdf(coverage)
    return report_html(coverage).encode()
