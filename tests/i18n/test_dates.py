"""Uncertain dates and numbers read naturally in each language, and dates read back in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import reset_format_cache

from vigil.core.dates import UncertainDate
from vigil.records.dates import display_date

DAY = dt.date(2011, 8, 4)


@pytest.fixture
def belarusian_formats(settings):  # type: ignore[no-untyped-def]
    """FORMAT_MODULE_PATH as the settings should have it (Django ships no Belarusian formats)."""
    settings.FORMAT_MODULE_PATH = ["vigil.locale"]
    reset_format_cache()  # Django keeps format modules per language and ignores this setting
    yield
    settings.FORMAT_MODULE_PATH = None
    reset_format_cache()


EXPECTED = {
    "en": ["4 August 2011", "August 2011", "2011", "2010s", "unknown"],
    "be": ["4 жніўня 2011 г.", "жнівень 2011 г.", "2011", "2010-я", "невядома"],
    "ru": ["4 августа 2011 г.", "август 2011 г.", "2011", "2010-е", "неизвестно"],
}


@pytest.mark.parametrize("lang", ["en", "be", "ru"])
def test_display_date_speaks_the_active_language(lang):
    with translation.override(lang):
        shown = [display_date(DAY, p) for p in ("day", "month", "year", "decade")]
        shown.append(display_date(None, "unknown"))
    assert shown == EXPECTED[lang]


@pytest.mark.parametrize("lang", ["en", "be", "ru"])
def test_display_date_in_a_language_asked_for_is_the_same_whatever_language_is_active(lang):
    cases = [(DAY, p, None) for p in ("day", "month", "year", "decade")] + [
        (None, "unknown", None),
        (dt.date(2019, 5, 5), "year", dt.date(2020, 12, 31)),
        (dt.date(2019, 5, 5), "day", dt.date(2019, 6, 30)),
        (dt.date(2010, 1, 1), "decade", dt.date(2029, 12, 31)),
        (None, "unknown", dt.date(2020, 1, 31)),
    ]
    with translation.override(lang):
        expected = [display_date(d, p, e) for d, p, e in cases]
    for active in ("en", "be", "ru"):
        with translation.override(active):
            assert [display_date(d, p, e, lang) for d, p, e in cases] == expected, active
    assert expected[:5] == EXPECTED[lang]


def test_display_date_keeps_english_output_outside_a_request():
    assert display_date(DAY, "month") == "August 2011"
    assert display_date(dt.date(2019, 5, 5), "year", dt.date(2020, 12, 31)) == "2019 – 2020"


@pytest.mark.parametrize("lang", ["en", "be", "ru"])
@pytest.mark.parametrize("precision", ["day", "month", "year", "decade"])
def test_a_displayed_date_reads_back_as_the_same_date(lang, precision):
    with translation.override(lang):
        text = display_date(DAY, precision)
    parsed = UncertainDate.parse(text)
    assert parsed is not None
    assert parsed == UncertainDate(DAY, precision)


def test_before_a_date_is_translated():
    with translation.override("ru"):
        assert display_date(None, "unknown", dt.date(2020, 1, 31)) == "до 31 января 2020 г."


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Aug. 4, 2011 · 1234.5"),
        ("be", "4 жніўня 2011 г. · 1234,5"),
        ("ru", "4 августа 2011 г. · 1234,5"),
    ],
)
def test_template_dates_and_numbers_follow_the_locale(belarusian_formats, lang, expected):
    template = Template("{{ day }} · {{ number }}")
    with translation.override(lang):
        assert template.render(Context({"day": DAY, "number": 1234.5})) == expected
