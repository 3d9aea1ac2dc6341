"""Small inline SVG charts for the risk pages: a trend sparkline, signals on a time strip,
the calibration of the backtest. Pure functions returning escaped markup (no script, no CSS
from outside: presentation attributes only, so the pages' content security policy holds).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def _x(day: dt.date, start: dt.date, end: dt.date, width: float, pad: float) -> float:
    span = max((end - start).days, 1)
    return pad + (width - 2 * pad) * (day - start).days / span


def sparkline(
    points: Sequence[tuple[dt.date, float]],
    threshold: float | None = None,
    *,
    label: str = "",
    width: int = 120,
    height: int = 28,
) -> SafeString:
    """Risk over the stored fits: a line, its last point, the alert threshold dashed."""
    if not points:
        return SafeString("")  # an empty string is safe
    top = max([p for _, p in points] + [threshold or 0.0, 1e-6]) * 1.1
    pad = 3.0

    def y(p: float) -> float:
        return height - pad - (height - 2 * pad) * p / top

    start, end = points[0][0], points[-1][0]
    if len(points) == 1:
        coords = [(width / 2, y(points[0][1]))]
    else:
        coords = [(_x(d, start, end, width, pad), y(p)) for d, p in points]
    path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in coords)
    last_x, last_y = coords[-1]
    limit = (
        format_html(
            '<line x1="0" x2="{}" y1="{}" y2="{}" class="chart__threshold" '
            'stroke="#b45309" stroke-dasharray="3 2" stroke-width="1"/>',
            width, f"{y(threshold):.1f}", f"{y(threshold):.1f}",
        )  # fmt: skip
        if threshold
        else ""
    )
    return format_html(
        '<svg class="chart chart--spark" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-label="{label}"><title>{label}</title>{limit}'
        '<polyline points="{path}" fill="none" stroke="#1d4ed8" stroke-width="1.5"/>'
        '<circle cx="{cx}" cy="{cy}" r="2.5" fill="#1d4ed8"/></svg>',
        w=width, h=height, label=label, limit=limit, path=path, cx=f"{last_x:.1f}",
        cy=f"{last_y:.1f}",
    )  # fmt: skip


def signal_strip(
    signals: Sequence[tuple[dt.date, str]],
    start: dt.date,
    end: dt.date,
    *,
    label: str = "",
    width: int = 640,
    height: int = 46,
) -> SafeString:
    """Each signal a tick on a time axis from ``start`` to ``end``, its type in a tooltip."""
    if not signals:
        return SafeString("")  # an empty string is safe
    pad = 8.0
    ticks = format_html_join(
        "",
        '<g><title>{} — {}</title><line x1="{}" x2="{}" y1="8" y2="28" '
        'stroke="#b91c1c" stroke-width="2"/><circle cx="{}" cy="8" r="3" fill="#b91c1c"/>'
        "</g>",
        (
            (d.isoformat(), text, x, x, x)
            for d, text in signals
            for x in [f"{_x(d, start, end, width, pad):.1f}"]
        ),
    )
    return format_html(
        '<svg class="chart chart--strip" viewBox="0 0 {w} {h}" preserveAspectRatio="none" '
        'width="100%" height="{h}" role="img" aria-label="{label}"><title>{label}</title>'
        '<line x1="{p}" x2="{e}" y1="28" y2="28" stroke="#6b7280" stroke-width="1"/>{ticks}'
        '<text x="{p}" y="42" font-size="10" fill="#374151">{s}</text>'
        '<text x="{e}" y="42" font-size="10" fill="#374151" text-anchor="end">{t}</text></svg>',
        w=width, h=height, label=label, p=pad, e=width - pad, ticks=ticks,
        s=start.isoformat(), t=end.isoformat(),
    )  # fmt: skip


def calibration_chart(
    rows: Sequence[dict[str, float]],
    *,
    label: str = "",
    x_label: str = "",
    y_label: str = "",
    size: int = 240,
) -> SafeString:
    """Predicted against observed rate per decile of the backtest, and the diagonal."""
    if not rows:
        return SafeString("")  # an empty string is safe
    pad = 24.0
    top = max(max(r["predicted"] for r in rows), max(r["observed"] for r in rows), 1e-6) * 1.1

    def px(v: float) -> float:
        return pad + (size - 2 * pad) * v / top

    def py(v: float) -> float:
        return size - pad - (size - 2 * pad) * v / top

    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3.5" fill="#1d4ed8"><title>{} {} · {} {}</title>'
        "</circle>",
        (
            (f"{px(r['predicted']):.1f}", f"{py(r['observed']):.1f}", "predicted",
             r["predicted"], "observed", r["observed"])  # fmt: skip
            for r in rows
        ),
    )
    return format_html(
        '<svg class="chart chart--calibration" viewBox="0 0 {s} {s}" width="{s}" height="{s}" '
        'role="img" aria-label="{label}"><title>{label}</title>'
        '<rect x="{p}" y="{p}" width="{inner}" height="{inner}" fill="none" stroke="#d1d5db"/>'
        '<line x1="{p}" y1="{b}" x2="{e}" y2="{p}" stroke="#9ca3af" stroke-dasharray="4 3"/>'
        '{dots}<text x="{p}" y="{lab}" font-size="10" fill="#374151">0</text>'
        '<text x="{e}" y="{lab}" font-size="10" fill="#374151" text-anchor="end">{top}</text>'
        '<text x="{mid}" y="{lab}" font-size="10" fill="#374151" text-anchor="middle">{xl}</text>'
        '<text x="10" y="{mid}" font-size="10" fill="#374151" text-anchor="middle" '
        'transform="rotate(-90 10 {mid})">{yl}</text>'
        "</svg>",
        s=size, label=label, p=pad, inner=size - 2 * pad, b=size - pad, e=size - pad,
        dots=dots, lab=size - 8, top=f"{top:.3f}", mid=size / 2, xl=x_label, yl=y_label,
    )  # fmt: skip
