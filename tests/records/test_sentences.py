import re
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.sample import distinct_values

from vigil.records.sentences import (
    Measure,
    PenaltyKind,
    Regime,
    SentenceError,
    parse_penalty,
    parse_term,
)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("4 1/2 years", 54),
        ("1,5 years", 18),
        ("1.5 years", 18),
        ("3 years and 6 month", 42),
        ("1 year adn 6 months", 18),
        ("1 year and 9 months", 21),
        ("20 months", 20),
        ("3 month", 3),
        ("1 year", 12),
        ("25 years", 300),
        ("3 years, 6 months", 42),
        ("2 года 6 месяцев", 30),
        ("5 лет", 60),
        ("1/2 month", Fraction(1, 2)),
    ],
)
def test_parse_term_reads_months(text, months):
    term = parse_term(text)
    assert term.months == months
    assert not term.dismissed and term.fine_base_units is None and not term.unit_assumed
    assert term.text == text


def test_parse_term_assumes_years_for_a_bare_number():
    term = parse_term("4 1/2")
    assert term.months == 54
    assert term.unit_assumed


def test_parse_term_reads_dismissal_without_a_term():
    term = parse_term("Charges dismissed")
    assert term.dismissed
    assert term.months is None


def test_parse_term_reads_fine_in_base_units():
    term = parse_term("350 base rates")
    assert term.fine_base_units == 350
    assert term.months is None and not term.dismissed


def test_parse_term_of_blank_is_none():
    assert parse_term("") is None


@pytest.mark.parametrize(
    "text", ["life", "3 years and", "years 3", "3 weeks", "4 1/0 years", "6 months 3 years"]
)
def test_parse_term_rejects_unknown_terms_naming_them(text):
    with pytest.raises(SentenceError, match=re.escape(repr(text))):
        parse_term(text)


def test_every_decision_in_the_viasna_sample_parses(shared_data):
    decisions = distinct_values(shared_data, "decision")
    assert len(decisions) > 30
    for decision in decisions:
        term = parse_term(decision)
        if not decision:
            assert term is None
        else:
            assert term.months or term.dismissed or term.fine_base_units, decision


@given(st.integers(0, 30), st.integers(0, 11), st.sampled_from([" and ", ", ", " adn ", " "]))
def test_parse_term_adds_years_and_months(years, months, join):
    year_unit = "year" if years == 1 else "years"
    month_unit = "month" if months == 1 else "months"
    term = parse_term(f"{years} {year_unit}{join}{months} {month_unit}")
    assert term.months == years * 12 + months


@given(st.integers(0, 30), st.integers(1, 11), st.integers(2, 12))
def test_parse_term_reads_mixed_fractions_of_years(whole, numerator, denominator):
    term = parse_term(f"{whole} {numerator}/{denominator} years")
    assert term.months == (whole + Fraction(numerator, denominator)) * 12


@given(st.integers(0, 30), st.integers(0, 9), st.sampled_from([",", "."]))
def test_parse_term_reads_decimal_years_with_comma_or_point(whole, tenth, mark):
    term = parse_term(f"{whole}{mark}{tenth} years")
    assert term.months == (whole + Fraction(tenth, 10)) * 12


@pytest.mark.parametrize(
    ("text", "kind", "regime", "measure", "suspended"),
    [
        ("imprisonment in a general-security penal colony", "imprisonment", "general", None, False),
        ("imprisonment in a medium-security penal colony", "imprisonment", "medium", None, False),
        ("imprisonment in a maximum-security penal colony", "imprisonment", "maximum", None, False),
        (
            "imprisonment in a high security prison",
            "imprisonment",
            "high_security_prison",
            None,
            False,
        ),
        ("imprisonment in a juvenile penal colony", "imprisonment", "juvenile", None, False),
        (
            'restricted freedom in an open penal facility ("khimiya")',
            "restricted_freedom",
            None,
            "open_facility",
            False,
        ),
        (
            'restricted freedom under home confinement ("domashnyaya khimiya")',
            "restricted_freedom",
            None,
            "home_confinement",
            False,
        ),
        ("suspended imprisonment", "suspended_imprisonment", None, None, True),
        ("arrest", "arrest", None, None, False),
        ("fine", "fine", None, None, False),
        (
            "лишение свободы в исправительной колонии усиленного режима",
            "imprisonment",
            "medium",
            None,
            False,
        ),
        (
            "ограничение свободы с направлением в исправительное учреждение открытого типа",
            "restricted_freedom",
            None,
            "open_facility",
            False,
        ),
    ],
)
def test_parse_penalty_reads_kind_regime_and_measure(text, kind, regime, measure, suspended):
    penalty = parse_penalty(text)
    assert (penalty.kind, penalty.regime, penalty.measure, penalty.suspended) == (
        kind,
        regime,
        measure,
        suspended,
    )
    assert penalty.text == text


def test_measures_are_not_regimes():
    assert not set(Measure) & set(Regime)


@pytest.mark.parametrize(
    "text",
    [
        "house arrest",
        "community service",
        "imprisonment in a penal colony",
        "fine and imprisonment",
    ],
)
def test_parse_penalty_rejects_unknown_values_naming_them(text):
    with pytest.raises(SentenceError, match=re.escape(repr(text))):
        parse_penalty(text)


def test_every_penalty_in_the_viasna_sample_parses(shared_data):
    penalties = distinct_values(shared_data, "penalty")
    assert len(penalties) > 8
    kinds = {parse_penalty(p).kind for p in penalties if p}
    assert kinds == set(PenaltyKind)
    assert parse_penalty("") is None
