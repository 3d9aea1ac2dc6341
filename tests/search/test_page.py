"""The search page: one box, grouped results with links and marked, escaped snippets."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vigil.core.context import change_context
from vigil.records.models import Event

pytestmark = pytest.mark.django_db


def test_search_page_is_mounted_at_search(db):
    assert reverse("search:search") == "/search/"


def test_anonymous_users_are_sent_to_sign_in(client, testavy):
    response = client.get("/search/", {"q": "Testavy"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_cyrillic_spelling_lists_the_person_with_a_link_to_the_profile(viewer_client, testavy):
    html = viewer_client.get("/search/", {"q": "Тестовый"}).content.decode()
    assert f'href="/persons/{testavy.person.pk}/">Ales Testavy</a>' in html
    assert "Алесь Тестовый" in html  # the name that matched
    assert 'id="found-persons"' in html
    assert "Iryna" not in html


def test_snippets_mark_the_matched_words_and_escape_the_data(viewer_client, testavy):
    with change_context("test"):
        Event.objects.create(
            title="Fictional picket",
            description='<script>alert("x")</script> The picketers carried <b>banners</b>.',
        )
    html = viewer_client.get("/search/", {"q": "picketers"}).content.decode()
    assert "<mark>picketers</mark>" in html
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert "&lt;b&gt;banners&lt;/b&gt;" in html


def test_a_query_with_no_match_says_so(viewer_client, testavy):
    html = viewer_client.get("/search/", {"q": "Zzyzxfictional"}).content.decode()
    assert "0 records match" in html
    assert "Try another spelling" in html


def test_a_blank_query_explains_what_is_searched(viewer_client, db):
    html = viewer_client.get("/search/").content.decode()
    assert "Belarusian, Russian and Latin spellings" in html
    assert "records match" not in html


def test_htmx_gets_only_the_results(viewer_client, testavy):
    response = viewer_client.get(
        "/search/", {"q": "Testavy"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-results"
    )
    html = response.content.decode()
    assert html.startswith('<div id="search-results"')
    assert "<html" not in html and "Ales Testavy" in html


def test_the_page_works_without_javascript_and_has_a_labelled_box(viewer_client, db):
    html = viewer_client.get("/search/").content.decode()
    assert '<form class="search" role="search" action="/search/" method="get">' in html
    assert '<label for="search-q">' in html and 'id="search-q" name="q"' in html
    assert "style=" not in html and "onclick" not in html


def test_an_overlong_query_is_cut_not_refused(viewer_client, testavy):
    response = viewer_client.get("/search/", {"q": "Testavy " + "x" * 5000})
    assert response.status_code == 200
