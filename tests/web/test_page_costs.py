"""What the person list and the name search cost per request (queries), and the shortcuts that
keep it low drawing exactly what the slower way drew (docs/benchmarks.md §4, fourth round)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils import translation

from tests.module_data import built_once
from vigil.core.context import change_context
from vigil.records.custody import Custody, CustodyState
from vigil.records.models import Person, PersonName
from vigil.search import name_search
from vigil.search.name_search import find_persons
from vigil.search.sync import catch_up
from vigil.web.filters import PersonFilterForm
from vigil.web.lists import PERSONS
from vigil.web.search import PersonRow

AT = dt.datetime(2026, 3, 4, 23, 30, tzinfo=dt.UTC)


def _person(name: str, **fields: object) -> Person:
    person = Person(pk=uuid.uuid4(), display_name=name, updated_at=AT, **fields)
    person.shown_name = fields.get("shown", name)  # type: ignore[attr-defined]
    return person


def _rows() -> list[PersonRow]:
    unnamed = Person(pk=uuid.uuid4(), display_name="Fictus Sine Nomine", updated_at=AT)
    return [
        PersonRow(_person("Testa Fictionalia", is_synthetic=True), None),
        PersonRow(
            _person("Fictus <b>&\"Quote'", confidentiality="restricted", name_withheld=True),
            CustodyState(Custody.IN_CUSTODY, since=dt.date(2021, 8, 4)),
        ),
        PersonRow(
            _person("Фіктыўны Тэст", birth_date=dt.date(1980, 1, 1), birth_date_precision="year"),
            CustodyState(
                Custody.TERM_ENDED, since=dt.date(2020, 1, 2), term_ends=dt.date(2024, 1, 2)
            ),
        ),
        PersonRow(
            _person("Fictiva Libera", birth_date=dt.date(1975, 6, 17), confidentiality="public"),
            CustodyState(Custody.NOT_IN_CUSTODY, since=dt.date(2022, 2, 1)),
        ),
        PersonRow(_person("Fictus Ignotus"), CustodyState(Custody.UNKNOWN)),
        PersonRow(unnamed, CustodyState(Custody.RESTRICTED, since=dt.date(2023, 5, 6))),
    ]


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_the_persons_rows_drawn_in_python_are_the_row_templates_bytes(language):
    request = RequestFactory().get("/persons/")
    request.user = AnonymousUser()
    rows = _rows()
    with translation.override(language):
        # The columns' labels as the list page gives them, one with characters to escape.
        labels = {c.key: str(c.label) for c in PERSONS.columns} | {"record": "{Record} <&>"}
        template = get_template("vigil/rows/person.html")
        slow = "".join(template.render({"row": row, "labels": labels}, request) for row in rows)
        fast = engines["django"].from_string("{% load vigil_rows %}{% person_rows rows labels %}")
        assert fast.render({"rows": rows, "labels": labels}, request) == slow
        assert f'data-label="{labels["born"]}"' in slow  # every cell labelled by its column
        assert 'data-label="{Record} &lt;&amp;&gt;"' in slow
    assert "&lt;b&gt;&amp;&quot;Quote&#x27;" in slow  # escaped, not dropped


def _select(value: str | None = None) -> str:
    form = PersonFilterForm({"act_type": value} if value else None, user=None)
    return str(form["act_type"])


def test_a_cached_picker_marks_the_chosen_option_and_follows_its_options(db):
    from vigil.records.models import Term
    from vigil.web.filters import options_changed

    plain, chosen = _select(), _select("arrest")
    assert plain != chosen
    assert 'value="arrest" selected' in chosen and 'value="arrest" selected' not in plain
    assert _select() == plain  # drawn again from the same options: the same bytes
    with change_context("test"):
        Term.objects.create(vocabulary="act_type", key="fictional_act", label_en="Fictional act")
    options_changed()
    assert "Fictional act" in _select() and "Fictional act" not in plain


@pytest.fixture(scope="module")
def _plurimi_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[Any]]:
    """Fifty-six persons sharing a surname, some spelled one letter apart, with a name each in
    Cyrillic: more persons than a search returns, in several groups of rank (written once per
    module, tests/module_data.py)."""
    with built_once(django_db_blocker), change_context("test", detail="search cost fixture"):
        made = []
        for i in range(56):
            surname = "Plurimovich" if i % 3 else "Plurymovich"
            person = Person.objects.create(
                display_name=f"Fictus{i:02d} {surname}", is_synthetic=True
            )
            PersonName.objects.create(person=person, value=f"Фіктус{i:02d} Плурымовіч", lang="be")
            made.append(person.pk)
        catch_up(limit=None)
        yield made


@pytest.fixture
def plurimi(_plurimi_once: list[Any], db: None) -> list[Any]:
    return _plurimi_once


@pytest.mark.parametrize("query", ["Plurimovich", "Фіктус07 Плурымовіч", "Plurim"])
def test_loading_forms_group_by_group_finds_what_loading_them_all_finds(
    query, plurimi, viewer, monkeypatch
):
    grouped = find_persons(query, viewer)
    monkeypatch.setattr(name_search, "LOAD_BATCH", 1)
    one_by_one = find_persons(query, viewer)
    monkeypatch.setattr(name_search, "LOAD_BATCH", name_search.FORM_CAP)
    at_once = find_persons(query, viewer)
    assert grouped == one_by_one == at_once
    assert len(grouped) > 30


def test_the_person_list_and_a_name_search_take_a_fixed_number_of_queries(
    plurimi, viewer_client, django_assert_max_num_queries
):
    assert viewer_client.get("/persons/").status_code == 200  # reads the pickers' options
    # Session, user, grants, filter options' generation, count, rows, custody, notifications.
    with django_assert_max_num_queries(8):
        assert viewer_client.get("/persons/").status_code == 200
    assert viewer_client.get("/persons/", {"q": "Fictus"}).status_code == 200
    # The same, and the index's watermark and newest history (one query), the key rows, the
    # kept forms' texts by id, the forms with the policy's checks (one group here).
    with django_assert_max_num_queries(12):
        assert viewer_client.get("/persons/", {"q": "Plurimovich"}).status_code == 200


def test_a_name_search_checking_its_forms_in_their_order_takes_one_query_more(
    plurimi, viewer_client, django_assert_max_num_queries, monkeypatch
):
    # A batch of CHECK_FROM forms or more (a common surname at 100k persons) is read first
    # and checked in its order: the forms, then the policy's checks of the first of them.
    monkeypatch.setattr(name_search, "CHECK_FROM", 1)
    assert viewer_client.get("/persons/", {"q": "Fictus"}).status_code == 200
    with django_assert_max_num_queries(13):
        assert viewer_client.get("/persons/", {"q": "Plurimovich"}).status_code == 200
