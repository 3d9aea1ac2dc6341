"""What was spent on what: a horizontal bar chart as inline SVG (no script, no inline style)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from vigil.protection.funds import Spent

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 210
BAR_WIDTH = 360
VALUE_WIDTH = 130
WIDTH = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}".replace(",", "\u202f")


def spending_svg(spent: Sequence[Spent], *, title: str, currency: str) -> SafeString:
    """One currency's disbursements by purpose; an empty string when nothing was spent."""
    rows = [s for s in spent if s.currency == currency]
    if not rows:
        return mark_safe("")  # noqa: S308 - a constant
    largest = max(s.amount for s in rows) or Decimal(1)
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    bars = []
    for i, s in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        width = max(2, int(BAR_WIDTH * (s.amount / largest)))
        bars.append(
            (
                y + BAR_HEIGHT * 0.7,
                s.label,
                LABEL_WIDTH,
                y,
                width,
                BAR_HEIGHT,
                LABEL_WIDTH + width + 6,
                y + BAR_HEIGHT * 0.7,
                _money(s.amount, s.currency),
            )
        )
    body = format_html_join(
        "",
        '<text class="chart__label" x="0" y="{}">{}</text>'
        '<rect class="chart__bar" x="{}" y="{}" width="{}" height="{}"></rect>'
        '<text class="chart__value" x="{}" y="{}">{}</text>',
        bars,
    )
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="chart-{}" viewBox="0 0 {} {}" '
        'preserveAspectRatio="xMinYMin meet">'
        '<title id="chart-{}">{}</title>{}</svg>',
        currency,
        WIDTH,
        height,
        currency,
        title,
        body,
    )
