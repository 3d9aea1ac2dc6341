"""The glossary page: each figure's definition and the function computing it, in every language."""

from __future__ import annotations

import pytest

from vigil.records.glossary import FIGURES

pytestmark = pytest.mark.django_db


def test_glossary_names_each_figure_with_its_function(viewer_client):
    html = viewer_client.get("/glossary/").content.decode()
    for figure in FIGURES:
        assert f'id="{figure.anchor}"' in html
        assert f"<code>{figure.function}</code>" in html
    assert "Term ended, release not recorded" in html
    assert "never part of the count of persons in custody" in html


def test_glossary_speaks_russian_and_belarusian(viewer_client):
    expected = {
        "ru": "Срок истёк, освобождение не зафиксировано",
        "be": "Тэрмін скончыўся, вызваленне не зафіксавана",
    }
    for lang, text in expected.items():
        viewer_client.cookies["django_language"] = lang
        assert text in viewer_client.get("/glossary/").content.decode()


def test_glossary_needs_sign_in(client):
    response = client.get("/glossary/")
    assert response.status_code == 302 and "/login" in response["Location"]
