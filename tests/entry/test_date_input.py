"""Typed dates: every form documenters write, and display → parse round-trips."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from vigil.records.date_input import (
    DateInput,
    DateInputError,
    format_date_input,
    parse_date_input,
)
from vigil.records.dates import display_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-03-05", DateInput(dt.date(2021, 3, 5), "day")),
        ("5.3.2021", DateInput(dt.date(2021, 3, 5), "day")),
        ("March 2021", DateInput(dt.date(2021, 3, 1), "month")),
        ("03.2021", DateInput(dt.date(2021, 3, 1), "month")),
        ("2011", DateInput(dt.date(2011, 1, 1), "year")),
        ("2011 г.", DateInput(dt.date(2011, 1, 1), "year")),
        ("сакавік 2021", DateInput(dt.date(2021, 3, 1), "month")),
        ("март 2021", DateInput(dt.date(2021, 3, 1), "month")),
        ("5 марта 2021", DateInput(dt.date(2021, 3, 5), "day")),
        ("5 сакавіка 2021", DateInput(dt.date(2021, 3, 5), "day")),
        ("1990s", DateInput(dt.date(1990, 1, 1), "decade")),
        ("unknown", DateInput(None, "unknown")),
        (
            "between 2019 and 2020",
            DateInput(dt.date(2019, 1, 1), "year", dt.date(2020, 12, 31)),
        ),
        ("между 2019 и 2020", DateInput(dt.date(2019, 1, 1), "year", dt.date(2020, 12, 31))),
        ("паміж 2019 і 2020", DateInput(dt.date(2019, 1, 1), "year", dt.date(2020, 12, 31))),
        (
            "с марта 2019 по 2020",
            DateInput(dt.date(2019, 3, 1), "month", dt.date(2020, 12, 31)),
        ),
        ("2019-2020", DateInput(dt.date(2019, 1, 1), "year", dt.date(2020, 12, 31))),
        (
            "March 2021 – May 2021",
            DateInput(dt.date(2021, 3, 1), "month", dt.date(2021, 5, 31)),
        ),
        ("  march   2021 ", DateInput(dt.date(2021, 3, 1), "month")),
    ],
)
def test_reads_the_forms_documenters_type(text, expected):
    assert parse_date_input(text) == expected


def test_blank_is_no_date():
    assert parse_date_input("") is None
    assert parse_date_input("   ") is None


@pytest.mark.parametrize(
    "text",
    ["yesterday", "32.13.2021", "2021-02-30", "2021 – 2019", "between 2020 and", "x" * 101],
)
def test_unreadable_text_is_a_clear_error(text):
    with pytest.raises(DateInputError) as caught:
        parse_date_input(text)
    assert caught.value.message
    assert "Traceback" not in caught.value.message


def test_error_repeats_what_was_typed_and_shows_examples():
    with pytest.raises(DateInputError) as caught:
        parse_date_input("sometime in spring")
    assert "sometime in spring" in caught.value.message
    assert "March 2021" in caught.value.message


_precisions = st.sampled_from(["day", "month", "year", "decade"])
_days = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9980, 12, 31))


@st.composite
def stored_dates(draw):  # type: ignore[no-untyped-def]
    """Values as the models store them: a day with a precision, sometimes a range end."""
    precision = draw(_precisions)
    start = draw(_days)
    value = parse_date_input(display_date(start, precision))
    assert value is not None
    if draw(st.booleans()):
        later = draw(st.dates(min_value=value.date, max_value=dt.date(9989, 12, 31)))
        ranged = parse_date_input(
            f"{display_date(start, precision)} – {display_date(later, precision)}"
        )
        assert ranged is not None and ranged.end is not None
        return ranged
    return value


@pytest.mark.parametrize("language", ["en", "be", "ru"])
@given(value=stored_dates())
def test_display_then_parse_round_trips_in_every_language(language, value):
    with translation.override(language):
        text = display_date(value.date, value.precision, value.end)
        assert parse_date_input(text) == value
        assert parse_date_input(format_date_input(value)) == value


@given(st.text(max_size=60))
def test_any_text_reads_or_fails_cleanly(text):
    try:
        parse_date_input(text)
    except DateInputError as error:
        assert error.message


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_unknown_and_decades_read_back_in_every_language(language):
    with translation.override(language):
        assert parse_date_input(format_date_input(DateInput.unknown())) == DateInput.unknown()
        decade = DateInput(dt.date(1990, 1, 1), "decade")
        assert parse_date_input(format_date_input(decade)) == decade
