"""Two records of one name are told apart on the merge page (issue 10, small things)."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from tests.web.merging.conftest import client_for, person
from vigil.core.context import change_context
from vigil.records.models import ExternalId, PersonName


def test_two_records_of_the_same_name_have_different_keep_labels(users: dict[str, Any]) -> None:
    with change_context("test"):
        a = person("Maksim Filatau", "Latn", "en")
        b = person("Maksim Filatau", "Latn", "en")
        ExternalId(person=b, scheme="viasna", value="1234").save()
    html = client_for(users["coordinator"]).get(reverse("merge:compare", args=[a.pk, b.pk]))
    labels = re.findall(
        r'<label for="id_keep_\d">\s*<input[^>]*>\s*(.*?)</label>', html.content.decode(), re.S
    )
    assert len(labels) == 2 and labels[0] != labels[1], labels
    assert all("Maksim Filatau" in label for label in labels)
    assert str(a.pk)[:8] in labels[0] and str(b.pk)[:8] in labels[1]
    assert "viasna 1234" in labels[1]


def test_merging_from_the_page_leaves_one_primary_name(users: dict[str, Any]) -> None:
    with change_context("test"):
        a = person("Maksim Filatau", "Latn", "en")
        b = person("Максим Филатов", "Cyrl", "ru")
    data = {
        "keep": str(a.pk),
        "reason": "one fictional judge",
        "first_version": a.version,
        "second_version": b.version,
    }
    response = client_for(users["coordinator"]).post(
        reverse("merge:compare", args=[a.pk, b.pk]), data
    )
    assert response.status_code == 302
    assert list(
        PersonName.objects.filter(person=a, is_primary=True).values_list("value", flat=True)
    ) == ["Maksim Filatau"]
