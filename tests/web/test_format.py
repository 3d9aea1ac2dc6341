"""Template filters: terms in years and months, amounts, safe links."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.web.templatetags.vigil_format import amount, term_length, web_url


def test_term_length_reads_months_as_years_and_months():
    assert term_length(Decimal(54)) == "4 years 6 months"
    assert term_length(Decimal(12)) == "1 year"
    assert term_length(Decimal(13)) == "1 year 1 month"
    assert term_length(Decimal(3)) == "3 months"
    assert term_length(Decimal(0)) == "0 months"


def test_term_length_keeps_fractions_of_months():
    assert term_length(Decimal("18.5")) == "1 year 6.5 months"


def test_term_length_is_blank_without_a_term():
    assert term_length(None) == ""


@given(st.integers(min_value=0, max_value=12 * 60))
def test_term_length_adds_back_up_to_the_months(months):
    words = term_length(Decimal(months)).split()
    numbers = dict(zip(words[1::2], map(int, words[0::2]), strict=True))
    years = numbers.get("year", numbers.get("years", 0))
    rest = numbers.get("month", numbers.get("months", 0))
    assert years * 12 + rest == months
    assert rest < 12


def test_amount_drops_needless_decimals():
    assert amount(Decimal("100.00")) == "100"
    assert amount(Decimal("2.50")) == "2.5"
    assert amount(None) == ""


def test_web_url_links_only_http_addresses():
    assert web_url("https://example.org/x") == "https://example.org/x"
    assert web_url("javascript:alert(1)") == ""
    assert web_url("example.org") == ""
    assert web_url("") == ""


def test_a_person_link_is_the_address_the_url_tag_gives_under_any_script_prefix():
    import uuid as uuid_module

    from django.template import engines
    from django.urls import NoReverseMatch, set_script_prefix

    from vigil.web.templatetags.vigil_format import person_url

    page = engines["django"].from_string(
        "{% load vigil_format %}{% url 'web:person' pk %}|{{ pk|person_url }}"
    )
    pk = uuid_module.uuid4()
    try:
        for prefix in ("/", "/vigil/", "/a b/"):
            set_script_prefix(prefix)
            tag, filtered = page.render({"pk": pk}).split("|")
            assert filtered == tag
            assert tag.endswith(f"/persons/{pk}/")
    finally:
        set_script_prefix("/")
    with pytest.raises(NoReverseMatch):
        person_url("")  # not an id: refused as the url tag refuses it
