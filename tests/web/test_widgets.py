"""FastSelect draws exactly the HTML of Django's own ``<select>`` template."""

from __future__ import annotations

import pytest
from django import forms

from vigil.web.widgets import FastSelect

CHOICES = [
    ("", "— any —"),
    ("a&b", 'Tom & "Jerry" <script>'),
    ("Belarus", [("minsk", "Мінск"), ("brest", "Брэст")]),
    (3, "three"),
]


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, None),
        ("minsk", {"id": "id_city", "class": "picker", "required": True, "disabled": False}),
        ("a&b", {"data-x": '"><b>', "autofocus": True}),
        (3, {}),
    ],
)
def test_fast_select_draws_the_same_html_as_djangos_template_and_escapes_alike(value, attrs):
    fast = FastSelect(choices=CHOICES).render("city", value, attrs)
    slow = forms.Select(choices=CHOICES).render("city", value, attrs)
    assert str(fast) == str(slow)
    assert "<script>" not in fast and "&lt;script&gt;" in fast


def test_fast_select_draws_a_multiple_select_like_django():
    fast = type("FastMultiple", (FastSelect,), {"allow_multiple_selected": True})(choices=CHOICES)
    slow = forms.SelectMultiple(choices=CHOICES)
    attrs = {"multiple": True}
    assert str(fast.render("c", ["minsk", 3], attrs)) == str(slow.render("c", ["minsk", 3], attrs))
