from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.core.dates import Precision, UncertainDate


@pytest.mark.parametrize(
    ("text", "start", "precision"),
    [
        ("2011-08-04", date(2011, 8, 4), Precision.DAY),
        ("2011-08", date(2011, 8, 1), Precision.MONTH),
        ("2011", date(2011, 1, 1), Precision.YEAR),
        ("1990s", date(1990, 1, 1), Precision.DECADE),
        ("4 August 2011", date(2011, 8, 4), Precision.DAY),
        ("August 2011", date(2011, 8, 1), Precision.MONTH),
        ("March 2021", date(2021, 3, 1), Precision.MONTH),
        ("24.11.2011", date(2011, 11, 24), Precision.DAY),
        ("4 августа 2011", date(2011, 8, 4), Precision.DAY),
        ("4 августа 2011 г.", date(2011, 8, 4), Precision.DAY),
        ("август 2011", date(2011, 8, 1), Precision.MONTH),
        ("жнівень 2011", date(2011, 8, 1), Precision.MONTH),
        ("4 жніўня 2011", date(2011, 8, 4), Precision.DAY),
        ("August 4, 2011", date(2011, 8, 4), Precision.DAY),
        ("  2011-08  ", date(2011, 8, 1), Precision.MONTH),
    ],
)
def test_parse_reads_start_and_precision(text, start, precision):
    parsed = UncertainDate.parse(text)
    assert parsed == UncertainDate(start, precision)


def test_parse_of_blank_text_is_none():
    assert UncertainDate.parse("") is None
    assert UncertainDate.parse("   ") is None


@pytest.mark.parametrize("text", ["2011-02-30", "Augustus 2011", "soon", "2011-13", "32.01.2011"])
def test_parse_rejects_bad_input_naming_the_value(text):
    with pytest.raises(ValueError, match=repr(text).replace(".", r"\.")):
        UncertainDate.parse(text)


@pytest.mark.parametrize(
    ("text", "latest"),
    [
        ("2011-08-04", date(2011, 8, 4)),
        ("2011-02", date(2011, 2, 28)),
        ("2012-02", date(2012, 2, 29)),
        ("2011", date(2011, 12, 31)),
        ("1990s", date(1999, 12, 31)),
        ("2011-08/2011-10", date(2011, 10, 31)),
    ],
)
def test_latest_is_the_last_day_covered(text, latest):
    assert UncertainDate.parse(text).latest() == latest


@pytest.mark.parametrize(
    ("text", "human", "iso"),
    [
        ("2011-08-04", "4 August 2011", "2011-08-04"),
        ("жнівень 2011", "August 2011", "2011-08"),
        ("2011", "2011", "2011"),
        ("1990s", "1990s", "199X"),
        ("2011-08/2011-10", "August 2011 – October 2011", "2011-08/2011-10"),
    ],
)
def test_str_and_to_iso_keep_only_the_known_precision(text, human, iso):
    parsed = UncertainDate.parse(text)
    assert str(parsed) == human
    assert parsed.to_iso() == iso


def test_unknown_date_has_no_bounds_and_sorts_last():
    unknown = UncertainDate(None, Precision.UNKNOWN)
    known = UncertainDate.parse("2099")
    assert unknown.earliest() is None and unknown.latest() is None
    assert str(unknown) == "unknown date"
    assert sorted([unknown, known], key=UncertainDate.sort_key) == [known, unknown]


def test_sort_key_puts_the_wider_period_first_when_both_start_together():
    year, month, day = (UncertainDate.parse(t) for t in ("2011", "2011-01", "2011-01-01"))
    assert sorted([day, year, month], key=UncertainDate.sort_key) == [day, month, year]


def test_constructor_moves_a_day_inside_the_period_to_its_start():
    assert UncertainDate(date(2011, 8, 15), Precision.MONTH).start == date(2011, 8, 1)


def test_constructor_rejects_a_date_without_precision_and_backward_ranges():
    with pytest.raises(ValueError, match="2011-08-04"):
        UncertainDate(date(2011, 8, 4), Precision.UNKNOWN)
    with pytest.raises(ValueError, match="comes before"):
        UncertainDate(date(2011, 8, 4), Precision.DAY, date(2011, 8, 1))


def test_range_that_ends_before_it_starts_is_rejected():
    with pytest.raises(ValueError, match="'2012/2011'"):
        UncertainDate.parse("2012/2011")


_known_precisions = st.sampled_from(
    [Precision.DAY, Precision.MONTH, Precision.YEAR, Precision.DECADE]
)


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9989, 1, 1)), _known_precisions)
def test_to_iso_and_str_round_trip_through_parse(day, precision):
    uncertain = UncertainDate(day, precision)
    assert UncertainDate.parse(uncertain.to_iso()) == uncertain
    assert UncertainDate.parse(str(uncertain)) == uncertain


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9989, 1, 1)), _known_precisions)
def test_period_contains_the_day_it_was_built_from(day, precision):
    uncertain = UncertainDate(day, precision)
    assert uncertain.earliest() <= day <= uncertain.latest()
