"""Charts of the report's figures (matplotlib, rendered to PNG with no display).

A chart shows only the rows of its figure: series are drawn as markers with no line, so
nothing suggests a value between two published points.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from vigil.reports.figures import LAWYER_CATEGORIES, Figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure as Canvas

INK = "#1f2a36"
COLOURS = ("#8a1c00", "#1f5f99", "#c98a00", "#3c7a3c", "#6b4c9a", "#777777", "#b35c8a")
FONT = {"family": "DejaVu Sans", "size": 8}


def _month(text: str) -> dt.date:
    return dt.date.fromisoformat(f"{text}-01") if len(text) == 7 else dt.date.fromisoformat(text)


WIDTH_PT = 6.8 * 72
CHAR_PT = 3.7  # the width of an average 7-point DejaVu Sans character


def _canvas(height: float = 2.8, label_chars: int = 0) -> Canvas:
    """A blank chart; margins fixed from the longest tick label (a layout engine costs ~0.5 s)."""
    # matplotlib (1 s to import) only when a chart is drawn, not when a command module loads.
    from matplotlib.figure import Figure as Canvas

    canvas = Canvas(figsize=(6.8, height), dpi=100)
    left = min(0.55, 0.03 + (label_chars * CHAR_PT + 12) / WIDTH_PT) if label_chars else 0.09
    bottom = min(0.45, 0.5 / height)
    canvas.subplots_adjust(left=left, right=0.98, top=1 - min(0.2, 0.15 / height), bottom=bottom)
    return canvas


def _style(axes: object) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)  # type: ignore[attr-defined]
    axes.tick_params(labelsize=7, colors=INK)  # type: ignore[attr-defined]


def detained_chart(figure: Figure) -> Canvas:
    """Bars per month with recorded detentions."""
    canvas = _canvas()
    axes = canvas.add_subplot()
    months = [_month(r[0]) for r in figure.rows]
    # (matplotlib plots dates through its units registry; its stubs accept numbers only.)
    axes.bar(months, [r[1] for r in figure.rows], width=25, color=COLOURS[0])  # type: ignore[arg-type]
    axes.set_ylabel("persons detained", fontdict=FONT)
    _style(axes)
    return canvas


def _ranked(figure: Figure, label: str, value_index: int = 1, limit: int = 15) -> Canvas:
    rows = figure.rows[:limit]
    canvas = _canvas(0.7 + 0.22 * max(len(rows), 1), max(len(str(r[0])) for r in rows))
    axes = canvas.add_subplot()
    names = [str(r[0]) for r in rows][::-1]
    axes.barh(names, [r[value_index] for r in rows][::-1], color=COLOURS[1])
    axes.set_xlabel(label, fontdict=FONT)
    _style(axes)
    return canvas


def custody_chart(figure: Figure) -> Canvas:
    """Horizontal bars: persons in each custody state."""
    return _ranked(figure, "persons")


def sentences_chart(figure: Figure) -> Canvas:
    """Horizontal bars: sentences per provision (most frequent first)."""
    return _ranked(figure, "sentences", value_index=2)


def judges_chart(figure: Figure) -> Canvas:
    """Horizontal bars: acts per judge."""
    return _ranked(figure, "acts")


def courts_chart(figure: Figure) -> Canvas:
    """Horizontal bars: acts per court."""
    return _ranked(figure, "trials, sentences and appeal decisions")


def lawyers_chart(figure: Figure) -> Canvas:
    """Grouped bars per year: lawyers disbarred, detained, sentenced (dated acts only)."""
    canvas = _canvas()
    axes = canvas.add_subplot()
    years = sorted({r[0] for r in figure.rows if r[0] != "undated"})
    width = 0.8 / len(LAWYER_CATEGORIES)
    for i, category in enumerate(LAWYER_CATEGORIES):
        counts = {r[0]: r[2] for r in figure.rows if r[1] == category}
        xs = [y + (i - 1) * width for y in years if y in counts]
        axes.bar(
            xs, [counts[y] for y in years if y in counts], width, label=category, color=COLOURS[i]
        )
    axes.set_xticks(years, [str(y) for y in years])
    axes.set_ylabel("lawyers", fontdict=FONT)
    axes.legend(fontsize=7, frameon=False)
    _style(axes)
    return canvas


def ngo_chart(figure: Figure) -> Canvas:
    """Markers at the published months only; no line joins them across gaps."""
    canvas = _canvas()
    axes = canvas.add_subplot()
    months = [_month(r[0]) for r in figure.rows]
    values = [r[1] for r in figure.rows]
    axes.plot(months, values, linestyle="none", marker="o", markersize=4, color=COLOURS[0])  # type: ignore[arg-type]  # dates, as above
    for month, value in zip(months, values, strict=True):
        axes.annotate(f"{value:,}", (month, value), textcoords="offset points", xytext=(0, 5),
                      ha="center", fontsize=6, color=INK)  # fmt: skip
    axes.set_ylabel("organisations (cumulative)", fontdict=FONT)
    _style(axes)
    return canvas


def interventions_chart(figure: Figure) -> Canvas:
    """Stacked horizontal bars: interventions per type, split by the state's response."""
    types = sorted(
        {r[0] for r in figure.rows}, key=lambda t: -sum(r[2] for r in figure.rows if r[0] == t)
    )
    responses = sorted({r[1] for r in figure.rows})
    canvas = _canvas(0.9 + 0.25 * len(types), max(len(t) for t in types))
    axes = canvas.add_subplot()
    left = [0] * len(types)
    for i, response in enumerate(responses):
        counts = [sum(r[2] for r in figure.rows if r[0] == t and r[1] == response) for t in types]
        axes.barh(types, counts, left=left, label=response, color=COLOURS[i % len(COLOURS)])
        left = [a + b for a, b in zip(left, counts, strict=True)]
    axes.invert_yaxis()
    axes.set_xlabel("interventions", fontdict=FONT)
    axes.legend(fontsize=7, frameon=False, title="state's response", title_fontsize=7)
    _style(axes)
    return canvas


CHARTS: dict[str, Callable[[Figure], Canvas]] = {
    "detained-by-month": detained_chart,
    "sentences-by-article": sentences_chart,
    "courts": courts_chart,
    "custody-now": custody_chart,
    "judges": judges_chart,
    "lawyers": lawyers_chart,
    "ngo-liquidations": ngo_chart,
    "interventions": interventions_chart,
    "solidarity-statements": lambda figure: _ranked(figure, "statements"),
}


def chart(figure: Figure) -> Canvas | None:
    """The chart of ``figure``, or None when it has no rows to draw."""
    if not figure.rows:
        return None
    return CHARTS[figure.name](figure)


def png(canvas: Canvas, dpi: int = 150) -> bytes:
    """The chart as PNG at print resolution (WeasyPrint lays out PNG far faster than SVG)."""
    buffer = io.BytesIO()
    canvas.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def data_uri(canvas: Canvas) -> str:
    """The chart as a PNG data URI to embed in HTML."""
    return "data:image/png;base64," + base64.b64encode(png(canvas)).decode()
