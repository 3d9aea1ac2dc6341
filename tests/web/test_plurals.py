"""Counts read as sentences in every language: "1 act", "3 acts"; in Belarusian and Russian
with their three plural forms (1 дзеянне, 3 дзеянні, 5 дзеянняў)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _labels(html: str) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for n, label in re.findall(
        r'<span class="stat__n">(\d+)</span> <span class="stat__label">([^<]+)<', html
    ):
        found.setdefault(int(n), []).append(label)
    return found


@pytest.mark.parametrize(
    ("language", "one", "few"),
    [
        ("en", ["organisation", "event"], ["persons", "acts"]),
        ("be", ["арганізацыя", "падзея"], ["асобы", "дзеянні"]),
        ("ru", ["организация", "событие"], ["лица", "действия"]),
    ],
)
def test_home_counts_take_the_plural_form_of_their_number(
    viewer_client, fictional_case, language, one, few
):
    html = viewer_client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    labels = _labels(html)
    assert set(one) <= set(labels[1]), labels  # one organisation, one event
    assert set(few) <= set(labels[3]), labels  # three persons, three acts


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["act", "victim", "sentence handed"]),
        ("ru", ["действие", "жертва", "вынесенный приговор"]),
    ],
)
def test_the_perpetrator_dossier_counts_one_act_in_the_singular(
    viewer_client, fictional_case, language, expected
):
    url = reverse("web:perpetrator", args=[fictional_case.judge.pk])
    html = viewer_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert _labels(html)[1][:3] == expected  # then the sentence totals
