"""A sentence's quantities in words: a term in years and months, an amount without needless
decimals. Documents call these; the template filters of the same names wrap them."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _number(value: Decimal) -> str:
    """A decimal without trailing zeros ("10.00" → "10", "1.50" → "1.5")."""
    text = format(value.normalize(), "f")
    return text


def term_length(months: Decimal | int | None) -> str:
    """A term in months as years and months ("4 years 6 months"); blank for no term."""
    if months is None:
        return ""
    total = Decimal(months)
    years = int(total // 12)
    rest = total - years * 12
    parts = []
    if years:
        parts.append(ngettext("%(n)d year", "%(n)d years", years) % {"n": years})
    if rest or not years:
        if rest == rest.to_integral_value():
            count = int(rest)
            parts.append(ngettext("%(n)d month", "%(n)d months", count) % {"n": count})
        else:
            parts.append(_("%(n)s months") % {"n": _number(rest)})
    return " ".join(parts)


def amount(value: Decimal | int | None) -> str:
    """A money or base-unit amount without needless decimals."""
    if value is None:
        return ""
    return _number(Decimal(value))
