"""The regime field reads a regime named by one word, as Viasna and documenters write it."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse

from tests.entry.test_views import TRIAL
from vigil.entry.fields import TermPickerField
from vigil.records.models import Act

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("general", "general_colony"),
        ("General regime", "general_colony"),
        ("strict", "maximum_colony"),
        ("maximum", "maximum_colony"),
        ("medium", "medium_colony"),
        ("enhanced", "medium_colony"),
        ("special", "special_colony"),
        ("общего", "general_colony"),
        ("строгага", "maximum_colony"),
        ("Strict-regime penal colony", "maximum_colony"),
    ],
)
def test_a_regime_word_maps_to_its_term(typed: str, key: str) -> None:
    assert TermPickerField("detention_regime").clean(typed) == key


@pytest.mark.parametrize("typed", ["colony", "spa", "general spa"])
def test_a_word_that_fits_several_regimes_or_none_is_refused(typed: str) -> None:
    with pytest.raises(forms.ValidationError):
        TermPickerField("detention_regime").clean(typed)


def test_the_trial_form_accepts_general(documenter_client) -> None:
    data = {**TRIAL, "sentence_regime": "general"}
    assert documenter_client.post(reverse("entry:trial"), data).status_code == 302
    sentence = Act.objects.get(act_type__key="sentence")
    assert sentence.sentence_regime_id == "detention_regime.general_colony"
