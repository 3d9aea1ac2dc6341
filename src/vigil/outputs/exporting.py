"""A draft is an export: which records it draws on, and whether a user may export them all."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Q, QuerySet

from vigil.policy.access import allowed_row
from vigil.records.models import (
    Act,
    ActCharge,
    Counsel,
    Event,
    Information,
    Intervention,
    Involvement,
    Participant,
    Person,
    PersonName,
    Profession,
    Source,
)
from vigil.responses.models import ViolationCoding

if TYPE_CHECKING:
    from vigil.accounts.types import User


def drawn_on(person: Person) -> list[QuerySet[Any]]:
    """The records a draft about ``person`` may state or cite (see ``vigil.outputs.facts``)."""
    acts = Act.objects.filter(victim_person=person)
    act_ids = acts.values("pk")
    interventions = Intervention.objects.filter(Q(persons=person) | Q(acts__victim_person=person))
    # The records the cited information may be on, read in one statement (it was six) and
    # given to the information as a list of ids. Not as a subquery: PostgreSQL planned
    # ``target_id IN (… UNION ALL …)`` inside the menu's question as a scan of every
    # information row (200k at 100k persons, 21–49 ms a profile), and an OR of seven
    # ``IN (subquery)`` filtered them all (126 ms, and seconds of JIT compilation).
    targets = [
        person.pk,
        *PersonName.objects.filter(person=person)
        .order_by()
        .values_list("pk", flat=True)
        .union(
            Profession.objects.filter(person=person).order_by().values_list("pk", flat=True),
            acts.order_by().values_list("pk", flat=True),
            acts.order_by().values_list("event_id", flat=True),
            ActCharge.objects.filter(act_id__in=act_ids).order_by().values_list("pk", flat=True),
            interventions.order_by().values_list("pk", flat=True),
            all=True,
        ),
    ]
    information = Information.objects.filter(target_id__in=[t for t in targets if t])
    return [
        Person.objects.filter(pk=person.pk),
        PersonName.objects.filter(person=person),
        Profession.objects.filter(person=person),
        acts,
        Event.objects.filter(pk__in=acts.values("event_id")),
        ActCharge.objects.filter(act_id__in=act_ids),
        Involvement.objects.filter(act_id__in=act_ids),
        Counsel.objects.filter(act_id__in=act_ids),
        Participant.objects.filter(act_id__in=act_ids),
        ViolationCoding.objects.filter(act_id__in=act_ids),
        interventions.distinct(),
        information,
        Source.objects.filter(pk__in=information.values("source_id")),
    ]


def _not_exportable(user: User, records: list[QuerySet[Any]]) -> list[QuerySet[Any]]:
    # ``restrict`` only cuts a queryset, so the user may export all of it exactly when no row
    # of it lies outside the cut. The cut is the policy's check of each row (``allowed_row``),
    # compiled once per process, not the set restricted again inside itself.
    return [qs.exclude(allowed_row(user, "export", qs.model)) for qs in records]


def _not_public(records: list[QuerySet[Any]]) -> list[QuerySet[Any]]:
    return [qs.exclude(confidentiality="public") for qs in records]


def may_export_all(user: User, records: list[QuerySet[Any]]) -> bool:
    """Whether ``user`` may export every one of ``records``: one ``EXISTS`` per queryset (it
    was two counts), all asked in one query."""
    return not any_row(_not_exportable(user, records))


def all_public(records: list[QuerySet[Any]]) -> bool:
    """Whether every one of ``records`` is public (one query)."""
    return not any_row(_not_public(records))


def export_state(user: User, records: list[QuerySet[Any]]) -> tuple[bool, bool]:
    """``(may_export_all(user, records), all_public(records))``, both asked in one query."""
    outside, not_public = any_rows([_not_exportable(user, records), _not_public(records)])
    return not outside, not not_public


def any_row(querysets: Iterable[QuerySet[Any]]) -> bool:
    """Whether any of ``querysets`` holds a row, each asked as ``QuerySet.exists`` asks it, all in
    one ``SELECT EXISTS (…) OR EXISTS (…)`` per database (a draft's 13 record sets were 13
    queries). Only the answer is read, never a row."""
    return any_rows([querysets])[0]


def any_rows(groups: list[Iterable[QuerySet[Any]]]) -> list[bool]:
    """:func:`any_row` of each group of querysets, every group asked in the same query per
    database (``SELECT (EXISTS … OR EXISTS …), (…)``)."""
    asked: dict[str, list[list[tuple[str, tuple[Any, ...]]]]] = {}
    for number, querysets in enumerate(groups):
        for qs in querysets:
            try:
                sql, params = qs.query.exists().get_compiler(using=qs.db).as_sql()
            except EmptyResultSet:
                continue  # a set that cannot hold a row (Django would not ask the database)
            by_group = asked.setdefault(qs.db, [[] for _ in groups])
            by_group[number].append((sql, tuple(params)))
    found = [False] * len(groups)
    for alias, by_group in asked.items():
        columns = [
            "(" + " OR ".join(f"EXISTS ({sql})" for sql, _ in parts) + ")" if parts else "FALSE"
            for parts in by_group
        ]
        params = [p for parts in by_group for _, found_params in parts for p in found_params]
        with connections[alias].cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(columns)}", params)
            row = cursor.fetchone()
        for number in range(len(groups)):
            found[number] = found[number] or bool(row is not None and row[number])
    return found
