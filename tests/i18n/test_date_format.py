"""The one date formatter: each language as its readers write dates, in pages and documents."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from vigil.records.dates import (
    date_sort_key,
    display_date,
    format_day,
    format_span,
    one_stop,
)

DAY = dt.date(2022, 6, 17)
LATER = dt.date(2023, 7, 20)


@pytest.mark.parametrize(
    ("lang", "long", "short"),
    [
        ("en", "17 June 2022", "17 Jun 2022"),
        ("be", "17 чэрвеня 2022 г.", "17.06.2022"),
        ("ru", "17 июня 2022 г.", "17.06.2022"),
    ],
)
def test_a_day_reads_as_a_native_reader_writes_it(lang, long, short):
    assert format_day(DAY, lang) == long
    assert format_day(DAY, lang, short=True) == short
    with translation.override(lang):  # the page's language when none is named
        assert format_day(DAY) == long


def test_a_short_english_date_is_never_month_first():
    # "12/05/2026" reads as 5 December to some readers and 12 May to others.
    assert format_day(dt.date(2026, 12, 5), "en", short=True) == "5 Dec 2026"


def test_an_aware_datetime_is_read_as_its_calendar_day():
    from django.utils import timezone

    moment = dt.datetime(2026, 12, 5, 10, 30, tzinfo=dt.UTC)
    with timezone.override("UTC"):
        assert format_day(moment, "ru", short=True) == "05.12.2026"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "17 June 2022"), ("be", "17 чэрвеня 2022 г."), ("ru", "17 июня 2022 г.")],
)
def test_a_span_of_one_day_reads_as_one_date(lang, expected):
    assert format_span(DAY, DAY, lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "17 June 2022 – 20 July 2023"),
        ("be", "17 чэрвеня 2022 – 20 ліпеня 2023 г."),
        ("ru", "17 июня 2022 – 20 июля 2023 г."),
    ],
)
def test_a_span_names_both_ends_with_one_year_abbreviation(lang, expected):
    assert format_span(DAY, LATER, lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "before 24 November 2011"),
        ("be", "да 24 лістапада 2011 г."),
        ("ru", "до 24 ноября 2011 г."),
    ],
)
def test_before_a_date_names_the_day_in_words_not_iso(lang, expected):
    assert display_date(None, "unknown", dt.date(2011, 11, 24), lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "2019 – 2020"),
        ("be", "2019 – 2020"),
        ("ru", "март 2019 – май 2020 г."),
    ],
)
def test_a_stored_range_keeps_the_year_abbreviation_once(lang, expected):
    precision = "month" if lang == "ru" else "year"
    assert display_date(dt.date(2019, 3, 1), precision, dt.date(2020, 5, 31), lang) == expected


def test_a_sentence_ending_in_a_year_abbreviation_keeps_one_full_stop():
    assert one_stop("Зафіксаваныя дзеянні 17 чэрвеня 2022 г..") == (
        "Зафіксаваныя дзеянні 17 чэрвеня 2022 г."
    )
    assert one_stop("Wait... and see.") == "Wait... and see."
    assert one_stop("Version 1.2..") == "Version 1.2.."  # only after a word


def test_undated_acts_sort_after_every_dated_one():
    items = [(None, None), (dt.date(2020, 1, 1), None), (None, dt.date(2011, 11, 24))]
    ordered = sorted(items, key=lambda d: date_sort_key(*d))
    assert ordered == [(None, dt.date(2011, 11, 24)), (dt.date(2020, 1, 1), None), (None, None)]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "17 June 2022 | 17 Jun 2022"),
        ("be", "17 чэрвеня 2022 г. | 17.06.2022"),
        ("ru", "17 июня 2022 г. | 17.06.2022"),
    ],
)
def test_the_template_filter_wraps_the_same_formatter(lang, expected):
    template = Template('{% load vigil_format %}{{ d|day }} | {{ d|day:"short" }}')
    with translation.override(lang):
        assert template.render(Context({"d": DAY})) == expected
