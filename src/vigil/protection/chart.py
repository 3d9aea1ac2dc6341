"""What was spent on what: a horizontal bar chart as inline SVG (no script, no inline style).

Each purpose is a label above its bar, the amount after the bar: the chart stays readable when
a phone scales it down to its width.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from vigil.protection.funds import Spent

LABEL_HEIGHT = 18
BAR_HEIGHT = 18
GAP = 12
BAR_WIDTH = 280
VALUE_WIDTH = 140
WIDTH = BAR_WIDTH + VALUE_WIDTH
ROW = LABEL_HEIGHT + BAR_HEIGHT + GAP


def _money(amount: Decimal, currency: str) -> str:
    return f"{formats.number_format(amount, 2, use_l10n=True, force_grouping=True)} {currency}"


def spending_svg(spent: Sequence[Spent], *, title: str, currency: str) -> SafeString:
    """One currency's disbursements by purpose; an empty string when nothing was spent."""
    rows = [s for s in spent if s.currency == currency]
    if not rows:
        return SafeString("")  # an empty string is safe
    largest = max(s.amount for s in rows) or Decimal(1)
    height = len(rows) * ROW
    bars = []
    for i, s in enumerate(rows):
        top = i * ROW
        width = max(2, int(BAR_WIDTH * (s.amount / largest)))
        bar_y = top + LABEL_HEIGHT
        bars.append(
            (
                top + LABEL_HEIGHT - 5,
                s.label,
                bar_y,
                width,
                BAR_HEIGHT,
                width + 6,
                bar_y + BAR_HEIGHT - 4,
                _money(s.amount, s.currency),
            )
        )
    body = format_html_join(
        "",
        '<text class="chart__label" x="0" y="{}">{}</text>'
        '<rect class="chart__bar" x="0" y="{}" width="{}" height="{}"></rect>'
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
