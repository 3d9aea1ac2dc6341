"""The merge and attach pages are ready for a strict CSP, labelled, and keyboard-usable."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.web.merging.conftest import Duplicates, client_for
from tests.web.test_markup import _audit


def pages(d: Duplicates) -> list[str]:
    return [
        reverse("merge:duplicates"),
        reverse("merge:duplicates") + "?q=Testovich",
        reverse("merge:compare", args=[d.latin.pk, d.cyrillic.pk]),
        reverse("merge:history", args=[d.latin.pk]),
        reverse("evidence:attach", args=["person", d.latin.pk]),
        reverse("evidence:attach", args=["act", d.latin_act.pk]),
        reverse("evidence:attach", args=["source", d.source.pk]),
    ]


def test_pages_have_no_inline_code_and_every_field_has_a_label(
    dups: Duplicates, users: dict[str, Any]
) -> None:
    client = client_for(users["coordinator"])
    client.post(
        reverse("merge:compare", args=[dups.latin.pk, dups.cyrillic.pk]),
        {
            "keep": str(dups.latin.pk),
            "reason": "fictional",
            "first_version": dups.latin.version,
            "second_version": dups.cyrillic.version,
        },
    )
    other = reverse("merge:compare", args=[dups.cyrillic.pk, dups.latin.pk])
    for url in [*pages(dups), other, reverse("merge:history", args=[dups.cyrillic.pk])]:
        response = client.get(url)
        assert response.status_code == 200, url
        audit = _audit(response.content.decode())
        assert audit.problems == [], url
        assert {"header", "nav", "main", "footer"} <= audit.tags, url
        assert [f for f in audit.fields if f not in audit.labels] == [], url


def test_pages_render_in_belarusian_and_russian(dups: Duplicates, users: dict[str, Any]) -> None:
    client = client_for(users["coordinator"])
    for lang in ("be", "ru"):
        for url in pages(dups):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
            assert response.status_code == 200, (lang, url)
            assert f'<html lang="{lang}">' in response.content.decode(), (lang, url)
