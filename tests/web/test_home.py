"""The home page: counts of the record with labels, custody, and recent changes."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import FictionalCase, make_case
from vigil.core.context import change_context

pytestmark = pytest.mark.django_db


def _stat(html: str, label: str) -> int:
    match = re.search(
        r'<span class="stat__n">(\d+)</span> <span class="stat__label">' + label + "<", html
    )
    assert match, f"no count labelled {label!r}"
    return int(match.group(1))


@pytest.fixture
def fictional_case(db: None) -> FictionalCase:
    """Made per test here: the module also shows the home page of an empty record, which the
    module-wide case (tests/web/conftest.py) would fill."""
    with change_context("test", detail="web fixture"):
        return make_case()


def test_home_shows_record_counts(viewer_client, fictional_case):
    html = viewer_client.get("/").content.decode()
    assert _stat(html, "persons") == 3
    # One of a kind reads in the singular (never "1 organisations").
    assert _stat(html, "organisation") == 1
    assert _stat(html, "event") == 1
    assert _stat(html, "acts") == 3


def test_home_counts_custody_derived_from_acts(viewer_client, fictional_case):
    html = viewer_client.get("/").content.decode()
    # The fixture's 54-month term, counted from the 2020 arrest, ended in February 2025.
    assert _stat(html, "in custody") == 0
    assert _stat(html, "term ended, release not recorded") == 1
    assert _stat(html, "restricted liberty") == 0


def test_home_labels_acts_and_roles_from_the_vocabulary(viewer_client, fictional_case):
    html = viewer_client.get("/").content.decode()
    assert '<td>Conviction and sentence</td><td class="num">1</td>' in html
    assert '<td>Arrest</td><td class="num">1</td>' in html
    assert '<td>Judge</td><td class="num">1</td>' in html


def test_home_lists_recent_changes_without_field_values(viewer_client, fictional_case):
    with change_context("test"):
        fictional_case.judge.notes = "A fictional secret note"
        fictional_case.judge.save()
    html = viewer_client.get("/").content.decode()
    assert "Recent changes" in html
    assert f'href="/persons/{fictional_case.judge.pk}/"' in html
    assert "Updated" in html and ">test<" in html.replace(" ", "")
    assert "A fictional secret note" not in html


def test_home_on_an_empty_record_says_so(viewer_client):
    html = viewer_client.get("/").content.decode()
    assert _stat(html, "persons") == 0
    assert "No acts recorded yet." in html
