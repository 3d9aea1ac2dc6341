"""A day typed and shown in the page's language, whatever the browser's locale."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from vigil.core.day_input import (
    ClockInput,
    DayField,
    DayInput,
    DayInputError,
    day_pattern,
    format_day_input,
    parse_day,
)

DAY = dt.date(2022, 6, 17)


@pytest.mark.parametrize(
    ("language", "pattern", "shown"),
    [
        ("be", "дд.мм.гггг", "17.06.2022"),
        ("ru", "дд.мм.гггг", "17.06.2022"),
        ("en", "yyyy-mm-dd", "2022-06-17"),
    ],
)
def test_each_language_shows_a_day_in_its_own_pattern(language, pattern, shown):
    assert day_pattern(language) == pattern
    assert format_day_input(DAY, language) == shown
    assert parse_day(shown, language) == DAY


@pytest.mark.parametrize("language", ["be", "ru", "en"])
@pytest.mark.parametrize("text", ["2022-06-17", "17.06.2022", " 17.6.2022 "])
def test_iso_and_the_dotted_day_first_form_read_in_every_language(language, text):
    assert parse_day(text, language) == DAY


def test_english_reads_the_tables_short_form_too():
    assert parse_day("17 Jun 2022", "en") == DAY
    assert parse_day("17 june 2022", "en") == DAY


def test_blank_text_is_no_day():
    assert parse_day("  ", "ru") is None
    assert parse_day(None, "be") is None


@pytest.mark.parametrize("text", ["06/17/2022", "31.02.2022", "yesterday", "2022-13-01", "9" * 60])
def test_anything_else_is_refused_naming_the_pattern_in_the_page_language(text):
    with translation.override("ru"):
        with pytest.raises(DayInputError) as refused:
            parse_day(text)
    assert "запишите её как дд.мм.гггг, например 17.06.2022" in refused.value.message
    with translation.override("be"):
        with pytest.raises(DayInputError) as refused:
            parse_day(text)
    assert "запішыце яе як дд.мм.гггг, напрыклад 17.06.2022" in refused.value.message
    with pytest.raises(DayInputError) as refused:
        parse_day(text, "en")
    assert "write it as yyyy-mm-dd, for example 2022-06-17" in refused.value.message


def test_a_years_before_1000_keep_four_digits():
    assert format_day_input(dt.date(988, 1, 2), "be") == "02.01.0988"
    assert parse_day("02.01.0988", "be") == dt.date(988, 1, 2)


class _Form(forms.Form):
    day = DayField(label="Day", required=False)


def test_the_field_reads_the_page_language_and_gives_a_clear_error():
    with translation.override("be"):
        form = _Form({"day": "17.06.2022"})
        assert form.is_valid() and form.cleaned_data["day"] == DAY
        bad = _Form({"day": "06/17/2022"})
        assert not bad.is_valid()
        assert "дд.мм.гггг" in bad.errors["day"][0]
        # The refused text is shown again as typed, to be corrected.
        assert 'value="06/17/2022"' in str(bad["day"])


@pytest.mark.parametrize(
    ("language", "shown", "placeholder"),
    [
        ("be", "17.06.2022", "дд.мм.гггг"),
        ("ru", "17.06.2022", "дд.мм.гггг"),
        ("en", "2022-06-17", "yyyy-mm-dd"),
    ],
)
def test_the_input_is_text_with_the_language_pattern_and_shows_iso_in_it(
    language, shown, placeholder
):
    with translation.override(language):
        for value in (DAY, "2022-06-17"):  # a stored day, a link's ISO date
            html = DayInput().render("day", value, attrs={"id": "id_day"})
            assert 'type="text"' in html and 'type="date"' not in html
            assert f'value="{shown}"' in html
            assert f'placeholder="{placeholder}"' in html


class _Hearing(forms.Form):
    time = forms.TimeField(required=False, widget=ClockInput)


@pytest.mark.parametrize(
    ("language", "placeholder"), [("be", "гг:хх"), ("ru", "чч:мм"), ("en", "hh:mm")]
)
def test_a_time_is_a_24_hour_text_input_with_the_language_pattern(language, placeholder):
    with translation.override(language):
        html = str(_Hearing(initial={"time": dt.time(14, 30)})["time"])
        assert 'type="text"' in html and 'value="14:30"' in html
        assert f'placeholder="{placeholder}"' in html
        form = _Hearing({"time": "09:05"})
        assert form.is_valid() and form.cleaned_data["time"] == dt.time(9, 5)
        assert not _Hearing({"time": "9pm"}).is_valid()
