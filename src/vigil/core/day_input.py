"""A calendar day (and a time of day) typed and shown in the page's language: "17.06.2022"
in Belarusian and Russian, "2022-06-17" in English, ISO understood everywhere; times 24-hour.

A browser's ``<input type="date">`` follows the browser's locale, not the page's (Chromium
under an English locale shows mm/dd/yyyy on a Belarusian page), so Vigil's exact-day fields
are text inputs: :class:`DayInput` shows the day and the pattern (placeholder) of the active
language, :class:`DayField` reads it back (:func:`parse_day`) with an error naming that
pattern. Uncertain dates ("March 2021") have their own field (``vigil.entry.fields``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vigil.core.errors import ValidationFailed

__all__ = [
    "DayField",
    "DayInput",
    "DayInputError",
    "ClockInput",
    "clock_pattern",
    "day_pattern",
    "format_day_input",
    "parse_day",
]

_MAX_LENGTH = 40


@dataclass(frozen=True)
class _Style:
    pattern: str  # what the placeholder shows
    shown: str  # strftime format of a day shown in the field
    read: tuple[str, ...]  # strptime formats accepted (ISO is always among them)


_NAMED = "day month-name year"  # "17 Jun 2022", "17 June 2022" (English month names)
_DOTTED = _Style("дд.мм.гггг", "%d.%m.%Y", ("%d.%m.%Y", "%Y-%m-%d"))
# English: ISO, never the ambiguous 06/07/2022; the dotted day-first form and "17 Jun 2022"
# (the tables' short form) are read too.
_STYLES = {
    "be": _DOTTED,
    "ru": _DOTTED,
    "en": _Style("yyyy-mm-dd", "%Y-%m-%d", ("%Y-%m-%d", "%d.%m.%Y", _NAMED)),
}
_ENGLISH_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _style(language: str | None = None) -> _Style:
    primary = (language or get_language() or "en").replace("_", "-").split("-", 1)[0].lower()
    return _STYLES.get(primary, _STYLES["en"])


def day_pattern(language: str | None = None) -> str:
    """The pattern a day is typed in: "дд.мм.гггг", "yyyy-mm-dd" (default: active language)."""
    return _style(language).pattern


def format_day_input(day: dt.date | None, language: str | None = None) -> str:
    """``day`` as its field shows it in ``language``: "17.06.2022", "2022-06-17"; None: ""."""
    if day is None:
        return ""
    style = _style(language)
    # strftime's %Y pads years before 1000 on some platforms only: pad by hand.
    return (
        style.shown.replace("%Y", f"{day.year:04d}")
        .replace("%m", f"{day.month:02d}")
        .replace("%d", f"{day.day:02d}")
    )


class DayInputError(ValidationFailed):
    """Text that does not read as one calendar day."""


def _named(text: str) -> dt.date | None:
    """ "17 Jun 2022" / "17 June 2022", whatever the process's C locale (strptime's %b)."""
    parts = text.split()
    if len(parts) != 3 or not parts[0].isdigit() or not parts[2].isdigit():
        return None
    name = parts[1].rstrip(".").lower()
    for number, month in enumerate(_ENGLISH_MONTHS, 1):
        if name in (month.lower(), month[:3].lower()):
            try:
                return dt.date(int(parts[2]), number, int(parts[0]))
            except ValueError:
                return None
    return None


def _read(text: str, fmt: str) -> dt.date | None:
    if fmt == _NAMED:
        return _named(text)
    try:
        return dt.datetime.strptime(text, fmt).date()
    except ValueError:
        return None


def parse_day(text: str | None, language: str | None = None) -> dt.date | None:
    """The day typed in ``text``, in ``language``'s pattern or ISO; blank text gives None.

    Raises :class:`DayInputError` naming the pattern, with an example, for anything else
    (a month-first "06/17/2022" included: never guessed).
    """
    cleaned = " ".join((text or "").split())
    if not cleaned:
        return None
    style = _style(language)
    if len(cleaned) <= _MAX_LENGTH:
        for fmt in style.read:
            found = _read(cleaned, fmt)
            if found is not None:
                return found
    raise DayInputError(
        _("Cannot read “%(text)s” as a date: write it as %(pattern)s, for example %(example)s.")
        % {
            "text": cleaned[:_MAX_LENGTH],
            "pattern": style.pattern,
            "example": format_day_input(dt.date(2022, 6, 17), language),
        }
    )


class DayInput(forms.TextInput):
    """A text input for one day: the active language's pattern as placeholder, the day shown
    in it. Text already typed is shown in that pattern when it reads as a day (a link's ISO
    date on a Russian page shows 17.06.2022), as typed when not (to be corrected). The
    phone's full keyboard, not a numeric one (iOS's number pad has no "." or "-")."""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        extra = {"placeholder": day_pattern(), "autocomplete": "off"}
        context["widget"]["attrs"] = {**extra, **context["widget"]["attrs"]}
        context["widget"]["attrs"].setdefault("class", "input-day")
        return context

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return format_day_input(value)
        if isinstance(value, str) and value.strip():
            try:
                return format_day_input(parse_day(value))
            except DayInputError:
                return value
        return None


class DayField(forms.DateField):
    """A day typed in the page's language or ISO (see :func:`parse_day`)."""

    widget = DayInput

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return parse_day(str(value))
        except DayInputError as error:
            raise forms.ValidationError(error.message, code="invalid") from None


# A time of day: always 24-hour (a browser's <input type="time"> shows "--:-- --", AM/PM,
# under an English browser locale).
_CLOCK_PATTERNS = {"be": "гг:хх", "ru": "чч:мм", "en": "hh:mm"}


def clock_pattern(language: str | None = None) -> str:
    """The pattern a time of day is typed in: "гг:хх", "чч:мм", "hh:mm" (24-hour)."""
    primary = (language or get_language() or "en").replace("_", "-").split("-", 1)[0].lower()
    return _CLOCK_PATTERNS.get(primary, _CLOCK_PATTERNS["en"])


class ClockInput(forms.TimeInput):
    """A text input for a 24-hour time ("14:30") with the active language's pattern as
    placeholder, for a ``forms.TimeField`` (whose formats are 24-hour)."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        extra = {"placeholder": clock_pattern(), "autocomplete": "off"}
        context["widget"]["attrs"] = {**extra, **context["widget"]["attrs"]}
        return context
