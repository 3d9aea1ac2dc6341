"""``core.titles.owned``: a record named by the record it belongs to — by the owner's title
alone, or with the record's own fields, its own page, and a name of its own when the owner is
hidden."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vigil.core.context import change_context
from vigil.core.titles import Title, owned
from vigil.records.models import Case
from vigil.solidarity.models import Hearing

CASE = "records.case"
SEEN = {"1": Title("Fictional case", "/cases/1/")}


def _titles(label: str) -> dict[str, Title]:
    return SEEN if label == CASE else {}


def test_owned_names_a_record_by_its_owners_title_opening_the_owners_page():
    kind = owned(Hearing, "case_id", Case, lambda _row, case: f"Part of {case.text}")
    assert kind.needs == (CASE,)
    named = kind.name([("a", 1), ("b", 2)], _titles)  # "b" belongs to a case not in view
    assert named == {"a": Title("Part of Fictional case", "/cases/1/")}


def test_owned_with_fields_reads_the_row_opens_its_own_page_and_names_it_when_the_owner_hides():
    kind = owned(
        Hearing,
        "case_id",
        Case,
        lambda h, case: f"{case.text}, {h.date}",
        fields=("date",),
        url=lambda h: f"/hearings/{h.pk}/",
        unowned=lambda h: f"Hearing, {h.date}",
    )
    rows = [
        SimpleNamespace(pk="a", case_id=1, date="3 March"),
        SimpleNamespace(pk="b", case_id=2, date="4 March"),
    ]
    assert kind.name(rows, _titles) == {
        "a": Title("Fictional case, 3 March", "/hearings/a/"),
        "b": Title("Hearing, 4 March", "/hearings/b/"),
    }
    # Without ``unowned`` a record whose owner is hidden stays unnamed.
    hidden = owned(Hearing, "case_id", Case, lambda h, case: case.text, fields=("date",))
    assert hidden.name(rows, _titles) == {"a": Title("Fictional case", "/cases/1/")}


@pytest.mark.django_db
def test_owned_reads_the_records_through_the_view_in_one_query_and_asks_for_their_owners():
    with change_context("test", detail="titles"):
        case = Case.objects.create(title="Fictional case")
        hearing = Hearing.objects.create(case=case, date=dt.date(2025, 3, 3))
        other = Hearing.objects.create(case=case, date=dt.date(2025, 3, 4))
    kind = owned(Hearing, "case_id", Case, lambda h, c: c.text, fields=("date",))
    with CaptureQueriesContext(connection) as queries:
        rows, needs = kind.read(
            lambda qs: qs.exclude(pk=other.pk), [str(hearing.pk), str(other.pk)]
        )
        assert [(r.pk, r.date) for r in rows] == [(hearing.pk, dt.date(2025, 3, 3))]
    assert len(queries) == 1
    assert "court_text" not in queries[0]["sql"].split("FROM")[0]  # only the fields asked
    assert {label: list(ids) for label, ids in needs.items()} == {CASE: [case.pk]}
    pairs, needs = owned(Hearing, "case_id", Case, lambda _r, c: c.text).read(
        lambda qs: qs, [str(hearing.pk)]
    )
    assert pairs == [(hearing.pk, case.pk)] and list(needs[CASE]) == [case.pk]
