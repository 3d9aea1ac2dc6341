"""An act's charges, perpetrators, counsel and participants read the same way by the act lists
(``visible_acts``, prefetched) and by the person page's timeline (``act_rows``, sorted in
Python): the same rows, in the same order, for users of different grants — hidden and deleted
rows left out by both — because both are built from one table (``records.act_rows``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

import pytest

from tests.conftest import make_user, term
from vigil.core.context import change_context
from vigil.policy.models import CaseGrant
from vigil.records.act_rows import ROW_KINDS, RowKind, database_order
from vigil.records.models import (
    Act,
    ActCharge,
    Case,
    Counsel,
    Involvement,
    LegalProvision,
    Organisation,
    Participant,
    Person,
)
from vigil.web.profile import ActRows, act_rows, timeline_acts, visible_acts

pytestmark = pytest.mark.django_db

LEVELS = ("public", "internal", "restricted", "secret")
ROLES = ("admin", "coordinator", "analyst", "documenter", "viewer")


def _person(name: str, level: str = "internal") -> Person:
    person = Person(display_name=name, is_synthetic=True)
    person.confidentiality = level
    person.save()
    return person


def _rows_of_every_kind(case: Any) -> dict[str, set[Any]]:
    """On the case's sentence: rows of each kind at every level, one soft-deleted at each
    level, rows whose other parent (the perpetrator, the lawyer, the participant) is hidden,
    and perpetrators without a creation time or created at the same instant. Returns the ids
    of the deleted rows by kind."""
    act = case.sentence
    deleted: dict[str, set[Any]] = {kind.name: set() for kind in ROW_KINDS}
    judge = term("perpetrator_role", "judge")
    when = dt.datetime(2021, 3, 2, 10, 0, tzinfo=dt.UTC)
    with change_context("test", detail="rows of every kind"):
        court = Organisation.objects.create(display_name="Fictional District Court No. 0")
        for n, level in enumerate(LEVELS):
            for gone in (False, True):
                provision = LegalProvision.objects.create(
                    code="criminal", article=f"90{n}", part=str(int(gone) + 1)
                )
                rows: list[Any] = [
                    ActCharge(act=act, provision=provision),
                    Involvement(
                        act=act,
                        perpetrator_person=_person(f"Fictional judge {level} {gone}"),
                        role_id=judge,
                    ),
                    Involvement(act=act, perpetrator_organisation=court, role_id=judge),
                    Counsel(act=act, lawyer=_person(f"Fictional lawyer {level} {gone}")),
                    Participant(act=act, name_text=f"Fictional participant {level} {gone}"),
                ]
                for row in rows:
                    row.confidentiality = level
                    row.save()
                    if gone:
                        row.soft_delete("test")
                        name = next(k.name for k in ROW_KINDS if isinstance(row, k.model))
                        deleted[name].add(row.pk)
            # Live rows whose other parent is at this level (the row itself internal).
            Involvement.objects.create(
                act=act,
                perpetrator_person=_person(f"Fictional hidden judge {level}", level),
                role_id=judge,
            )
            Counsel.objects.create(
                act=act, lawyer=_person(f"Fictional hidden lawyer {level}", level)
            )
            Participant.objects.create(
                act=act,
                person=_person(f"Fictional hidden participant {level}", level),
                name_text=f"Fictional hidden participant {level}",
            )
    made = list(Involvement.all_objects.filter(act=act).order_by("id"))
    Involvement.all_objects.filter(pk__in=[i.pk for i in made[::4]]).update(created_at=None)
    Involvement.all_objects.filter(pk__in=[i.pk for i in made[1::4]]).update(created_at=when)
    return deleted


def _users(case: Any) -> dict[str, Any]:
    """Users who may view different parts of the rows: every role's ceiling, and a viewer
    with a grant lifting the restricted records of a case the act belongs to."""
    found = {role: make_user(role, f"fictional-rows-{role}") for role in ROLES}
    granted = make_user("viewer", "fictional-rows-granted-viewer")
    with change_context("test", detail="grant"):
        grouped = Case.objects.create(title="Fictional grouped case")
        grouped.persons.add(case.victim)
        grouped.events.add(case.event)
        CaseGrant.objects.create(user=granted, case=grouped, level="restricted")
    found["granted viewer"] = granted
    return found


def _through_the_act_lists(user: Any, act: Act) -> ActRows | None:
    shown = list(visible_acts(user, Act.objects.filter(pk=act.pk)))
    if not shown:
        return None
    (found,) = shown
    return ActRows(**{kind.name: list(getattr(found, kind.name).all()) for kind in ROW_KINDS})


def _through_the_timeline(user: Any, act: Act) -> ActRows | None:
    acts = [a for a in timeline_acts(user, act.victim_person) if a.pk == act.pk]
    if not acts:
        return None
    return act_rows(user, acts)[act.pk]


def _ids(rows: ActRows) -> dict[str, list[Any]]:
    return {kind.name: [r.pk for r in getattr(rows, kind.name)] for kind in ROW_KINDS}


def test_the_timelines_rows_hold_one_list_per_kind_of_the_table():
    # The reader fills each list by the kind's name.
    assert [f.name for f in dataclasses.fields(ActRows)] == [k.name for k in ROW_KINDS]


def test_both_readers_show_an_acts_rows_alike_for_users_of_every_grant(fictional_case):
    deleted = _rows_of_every_kind(fictional_case)
    act = fictional_case.sentence
    seen: dict[str, dict[str, list[Any]]] = {}
    for who, user in _users(fictional_case).items():
        listed = _through_the_act_lists(user, act)
        timeline = _through_the_timeline(user, act)
        assert listed is not None and timeline is not None, who
        assert _ids(listed) == _ids(timeline), who
        seen[who] = _ids(timeline)
        for name, ids in seen[who].items():
            assert not deleted[name] & set(ids), (who, name)
    # The users see different rows: the comparison covers rows the policy hides.
    everything = seen["admin"]
    for kind in ROW_KINDS:
        live = kind.model.objects.filter(act=act).order_by(*kind.order)
        assert everything[kind.name] == [r.pk for r in live]
        assert len(seen["viewer"][kind.name]) < len(everything[kind.name])
        assert len(seen["analyst"][kind.name]) < len(everything[kind.name])
    assert seen["granted viewer"] != seen["viewer"]


def test_both_readers_leave_out_an_act_the_user_may_not_view(fictional_case):
    with change_context("test", detail="restricted act"):
        Act.objects.filter(pk=fictional_case.sentence.pk).update(confidentiality="restricted")
    viewer = make_user("viewer", "fictional-rows-plain-viewer")
    assert _through_the_act_lists(viewer, fictional_case.sentence) is None
    assert _through_the_timeline(viewer, fictional_case.sentence) is None


def test_an_order_python_does_not_sort_as_the_databases_do_is_refused():
    with pytest.raises(ValueError, match="display_name"):
        database_order(Person, ("display_name", "id"), nulls_last=True)
    with pytest.raises(ValueError, match="-id"):
        database_order(Counsel, ("-id",), nulls_last=False)
    with pytest.raises(ValueError, match="unique field last"):
        RowKind("involvements", Involvement, (), ("created_at",))


def test_a_missing_value_sorts_where_each_database_puts_a_null():
    early = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    rows = [
        Involvement(id=uuid.UUID(int=n), created_at=at)
        for n, at in ((1, None), (2, early), (3, None), (4, early))
    ]
    first = sorted(rows, key=database_order(Involvement, ("created_at", "id"), nulls_last=False))
    last = sorted(rows, key=database_order(Involvement, ("created_at", "id"), nulls_last=True))
    assert [r.id.int for r in first] == [1, 3, 2, 4]
    assert [r.id.int for r in last] == [2, 4, 1, 3]
