"""What a documenter types as a date ("March 2021", "5.3.2021", "between 2019 and 2020").

Parsing itself is :class:`vigil.core.dates.UncertainDate`'s; this module adds the range forms
people write in prose and the shape the record models store: ``(date, precision, end)``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from vigil.core.dates import UncertainDate
from vigil.core.errors import ValidationFailed
from vigil.records.dates import display_date
from vigil.records.models.fields import DatePrecision

__all__ = ["DateInput", "DateInputError", "format_date_input", "parse_date_input"]

# "between A and B" / "from A to B" in English, Russian and Belarusian.
_BETWEEN = re.compile(
    r"(?:between|между|паміж|from|с|со|з|ад)\s+(?P<a>.+?)\s+(?:and|to|till|until|и|по|до|і|па)\s+"
    r"(?P<b>.+)",
    re.IGNORECASE,
)
# "A – B", "A — B", "A - B" (a bare hyphen would cut "2021-03-05" in two), and "2019-2020".
_DASH = re.compile(r"\s*[–—]\s*|\s+-\s+")
_YEARS = re.compile(r"(\d{4})-(\d{4})")
_MAX_LENGTH = 100


class DateInputError(ValidationFailed):
    """Text that does not read as a date."""


@dataclass(frozen=True)
class DateInput:
    """An uncertain date as the models store it: first day, precision, optional range end."""

    date: dt.date | None
    precision: str
    end: dt.date | None = None

    @classmethod
    def unknown(cls) -> DateInput:
        """A date nobody knows."""
        return cls(None, DatePrecision.UNKNOWN.value)

    def display(self) -> str:
        """The text :func:`parse_date_input` reads back to this same value."""
        return format_date_input(self)


def _split_range(text: str) -> tuple[str, str] | None:
    """The two ends of a range written in prose, or None for a single date."""
    if match := _BETWEEN.fullmatch(text):
        return match["a"], match["b"]
    if match := _YEARS.fullmatch(text):
        return match[1], match[2]
    parts = _DASH.split(text)
    if len(parts) == 2 and all(p.strip() for p in parts):
        return parts[0], parts[1]
    return None


def parse_date_input(text: str) -> DateInput | None:
    """Read a typed date in English, Russian or Belarusian; blank text gives None.

    Raises :class:`DateInputError` with a message a documenter can act on.
    """
    cleaned = " ".join((text or "").split())
    if not cleaned:
        return None
    if len(cleaned) > _MAX_LENGTH:
        raise DateInputError(_("A date is at most %(n)d characters.") % {"n": _MAX_LENGTH})
    ends = _split_range(cleaned)
    if ends is not None:
        cleaned = f"{ends[0].strip()}/{ends[1].strip()}"
    try:
        parsed = UncertainDate.parse(cleaned)
    except (ValueError, OverflowError):
        raise DateInputError(
            _(
                "Cannot read “%(text)s” as a date. Write for example 2021-03-05, 5.3.2021, "
                "March 2021, 03.2021, 2011, 1990s, 5 марта 2021 or between 2019 and 2020."
            )
            % {"text": text.strip()[:_MAX_LENGTH]}
        ) from None
    if parsed is None:
        return None
    return DateInput(parsed.start, parsed.precision.value, parsed.end)


def format_date_input(value: DateInput | None) -> str:
    """The stored date as text for an input field (blank when there is none)."""
    if value is None:
        return ""
    if value.date is None:
        return "unknown"
    return display_date(value.date, value.precision, value.end)
