"""What one user may see: the one module every surface asks (pages, API, drafts, counts).

:func:`vigil.policy.access.restrict` is the policy; this module is the only place that words
the questions the surfaces put to it, one function per question:

- :func:`visible` — the part of a queryset the user may view;
- :func:`visible_one` / :func:`visible_or_404` — one record, or nothing (hidden looks missing);
- :func:`count_visible` — how many records of a model the user may view (or of some keys);
- :func:`page_visible` — one page of them (or of some keys), in an order;
- :func:`custody_seen_by` / :func:`custody_of` — custody derived only from the acts the user
  may view (stored per ceiling when the user's view is exactly a ceiling, else derived).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import connections, models, router
from django.db.models import Q
from django.http import Http404

from vigil.core.db.keys_in import KeysIn, key_column, keys_order
from vigil.core.models import LiveManager
from vigil.core.statements import stand_in
from vigil.policy.access import exact_ceiling, levels_seen, restrict
from vigil.records.count_changes import kept
from vigil.records.custody import Custody, CustodyState, custody_by_person, custody_counts
from vigil.records.custody_store import counts_at, stored_at
from vigil.records.live_count import live_count
from vigil.records.models import Act, Person, StoredCustody

if TYPE_CHECKING:
    from vigil.accounts.types import User

M = TypeVar("M", bound=models.Model)


def visible(
    user: User, queryset: models.QuerySet[M], *, checked_parents: Iterable[str] = ()
) -> models.QuerySet[M]:
    """The part of ``queryset`` that ``user`` may view.

    ``checked_parents``: parents the statement already checks (``policy.access.restrict``):
    only for rows read as rows of parents that the outer query restricts for ``user``.
    """
    return restrict(user, "view", queryset, checked_parents=checked_parents)


def visible_one(user: User, queryset: models.QuerySet[M], pk: Any) -> M | None:
    """The record ``pk`` of ``queryset`` when ``user`` may view it; else None."""
    return visible(user, queryset).filter(pk=pk).first()


def visible_or_404(user: User, queryset: models.QuerySet[M], pk: Any) -> M:
    """One record ``user`` may view, for a page; a hidden record is a 404 like a missing one."""
    found = visible_one(user, queryset, pk)
    if found is None:
        # Not visible and not existing look the same: no one learns which ids exist.
        raise Http404
    return found


def count_visible(user: User, model: type[models.Model], keys: Sequence[Any] | None = None) -> int:
    """How many records of ``model`` ``user`` may view: ``visible(user, model's live
    rows).count()`` — or, given ``keys`` (primary keys as the database takes them, each what
    ``get_db_prep_value`` makes of it), how many of those records: ``visible(user, model's
    live rows with these keys).count()``.

    On SQLite, when the user may view exactly the live records at some levels
    (:func:`vigil.policy.access.levels_seen`), the same number is counted in one statement as
    every row of the table less the hidden ones: SQLite counts a whole table from its pages
    without stepping a row, and finds the hidden rows — soft-deleted, or live at any other
    value of the level, a value that is no level included — by ranges of the index on
    ``(deleted_at, confidentiality)``, where counting the visible rows steps each of them (3 ms
    at 100,000 persons). On PostgreSQL, for the persons, the sum of the numbers per level that
    triggers keep with every write (:mod:`vigil.records.live_count`: ``COUNT(*)`` visits every
    live row's index entry, 4-5 ms of the server's CPU at 100,000 persons); for another model
    the live rows at those levels are counted by one written statement (the ORM built and
    compiled the policy's query anew each time: ~0.4 ms of the page's process). Any other
    user: the policy's query.

    With ``keys``, the live rows at those levels among the keys are counted by one written
    statement on every database (none: 0, and nothing is read, as for an empty queryset).
    """
    if keys is not None and not keys:
        return 0
    manager = model._default_manager
    connection = connections[router.db_for_read(model)]
    levels = levels_seen(user, model)
    # The default manager must be the live rows and nothing else (``deleted_at IS NULL``), and
    # every row must hold a level (NOT NULL) for the ranges below to find every other value.
    deleted_at = model._meta.get_field("deleted_at")
    confidentiality = model._meta.get_field("confidentiality")
    assert isinstance(deleted_at, models.Field) and isinstance(confidentiality, models.Field)
    if levels is None or type(manager) is not LiveManager or confidentiality.null:
        if keys is not None:
            return visible(user, manager.filter(KeysIn(model, list(keys)))).count()
        return visible(user, manager.all()).count()
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    deleted = quote(str(deleted_at.column))
    level = quote(str(confidentiality.column))
    shown = sorted(set(levels))
    # Quoted names and our own comparisons; the levels are parameters (nosec B608 below).
    count = f"(SELECT COUNT(*) FROM {table}"  # noqa: S608  # nosec B608
    params: list[Any]
    if keys is None and connection.vendor == "sqlite":
        # Every value that is not one of ``levels``: below the first, between two, above the
        # last (the column is NOT NULL: no row is outside every range and every level).
        others = [f"{level} < %s"]
        others += [f"{level} > %s AND {level} < %s" for _ in shown[1:]]
        others.append(f"{level} > %s")
        params = [shown[0]]
        for low, high in zip(shown, shown[1:], strict=False):
            params += [low, high]
        params.append(shown[-1])
        hidden = "".join(f" - {count} WHERE {deleted} IS NULL AND {term})" for term in others)
        sql = f"SELECT {count}) - {count} WHERE {deleted} IS NOT NULL){hidden}"
    else:
        if keys is None:
            # PostgreSQL: the numbers the triggers keep per level, where they are kept (the
            # persons: migration records/0013, vigil.records.live_count); else the rows counted.
            kept = live_count(connection, str(model._meta.db_table), shown)
            if kept is not None:
                return kept
        # The policy's rows counted as they are (among the keys, when given), the statement
        # written once instead of built; the levels and the keys are parameters.
        marks = ", ".join(["%s"] * len(shown))
        sql = f"SELECT {count} WHERE {deleted} IS NULL AND {level} IN ({marks})"
        params = list(shown)
        if keys is not None:
            sql += f" AND {key_column(model, connection)} IN ({', '.join(['%s'] * len(keys))})"
            params += keys
        sql += ")"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return int(row[0])


class _PageRead:
    """One compiled read of a page of live records at some levels: its SQL without the limits,
    its parameters, where the given keys go in them, the model fields its columns fill and
    their converters."""

    def __init__(
        self, queryset: models.QuerySet[Any], alias: str, stand_ins: Sequence[Any] = ()
    ) -> None:
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql(with_limits=False)
        self.sql = sql
        self.params = tuple(params)
        # (position in the parameters, index of the key): each stand-in key found where the
        # ORM put it — in the condition, and in the order when sorted by the keys.
        self.slots: list[tuple[int, int]] = []
        for index, key in enumerate(stand_ins):
            found = [n for n, p in enumerate(self.params) if type(p) is type(key) and p == key]
            if not found:
                raise ValueError(f"key {index} not found in {sql!r}")
            self.slots.extend((n, index) for n in found)
        select = compiler.select[: compiler.col_count]
        self.attnames = [column.target.attname for column, _sql, _alias in select]
        self.converters = list(compiler.get_converters([s[0] for s in select]).items())

    def params_for(self, keys: Sequence[Any]) -> Sequence[Any]:
        """The parameters with ``keys`` in their places."""
        if not self.slots:
            return self.params
        params = list(self.params)
        for position, index in self.slots:
            params[position] = keys[index]
        return params


# Compiled page reads, by model, database, levels, order and number of keys: no user's value is
# in any of them (keys are stand-ins, replaced on each read).
_PAGE_READS: dict[tuple[Any, ...], _PageRead] = {}


def page_visible(
    user: User,
    model: type[M],
    order: Sequence[str],
    low: int,
    high: int,
    keys: Sequence[Any] | None = None,
    *,
    by_keys: bool = False,
) -> list[M] | None:
    """Rows ``low`` to ``high`` (exclusive) of ``visible(user, model's live
    rows).order_by(*order)``, as model instances; None when that cannot be read this way.

    Given ``keys`` (primary keys as the database takes them, each what ``get_db_prep_value``
    makes of it; no key twice), only the rows with those keys; and with ``by_keys``, ordered
    first by their place in ``keys`` (``keys_order``), then by ``order``.

    When the user may view exactly the live records at some levels
    (:func:`vigil.policy.access.levels_seen`), those rows are the live rows at these levels,
    and the page is read by a statement the ORM compiled once per process for the model,
    database, levels, order and number of keys (building and compiling the policy's query cost
    about as much CPU as reading the rows): the same condition on the levels, the same order,
    the same limits written by the database's own operations, the same converters and
    instances as the ORM's. The keys are compiled as stand-ins — random keys, each found in the
    compiled parameters — and the read puts the given keys in their places. Any other user
    (grants or own records above the ceiling, no ceiling): None, and the caller reads through
    the policy's query.
    """
    if keys is not None and not keys:
        return []  # no rows among no keys, for anyone
    manager = model._default_manager
    levels = levels_seen(user, model)
    if levels is None or type(manager) is not LiveManager:
        return None
    if high <= low:
        return []
    alias = router.db_for_read(model) or "default"
    connection = connections[alias]
    size = None if keys is None else len(keys)
    key = (model, alias, levels, tuple(order), size, by_keys)
    read = _PAGE_READS.get(key)
    if read is None:
        shown = Q()
        for level in levels:
            shown |= Q(confidentiality=level)
        live = manager.using(alias).filter(shown)
        stand_ins: list[Any] = []
        ordering: list[Any] = list(order)
        if keys is not None:
            pk = model._meta.pk
            assert pk is not None
            stand_ins = [pk.get_db_prep_value(stand_in(pk), connection) for _ in keys]
            live = live.filter(KeysIn(model, stand_ins))
            if by_keys:
                ordering.insert(0, keys_order(model, stand_ins, connection))
        read = _PAGE_READS[key] = _PageRead(live.order_by(*ordering), alias, stand_ins)
    sql = f"{read.sql} {connection.ops.limit_offset_sql(low, high)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, read.params_for(keys or ()))
        found = cursor.fetchall()
    rows = []
    for row in found:
        values = list(row)
        for position, (convs, expression) in read.converters:
            value = values[position]
            for converter in convs:
                value = converter(value, expression, connection)
            values[position] = value
        rows.append(model.from_db(alias, read.attnames, values))
    return rows


def custody_seen_by(
    user: User,
    person_ids: Iterable[Any] | models.QuerySet[Any] | None = None,
    today: dt.date | None = None,
) -> dict[Any, CustodyState]:
    """The custody of these persons (every person: None; ids: a list or a subquery) derived
    from the acts ``user`` may view; a person with no such act is absent."""
    if person_ids is not None and not isinstance(person_ids, models.QuerySet):
        person_ids = list(person_ids)
    level = exact_ceiling(user)
    if level is not None:
        return stored_at(level, person_ids, today)
    acts = Act.objects.all()
    if person_ids is not None:
        acts = acts.filter(victim_person_id__in=person_ids)
    return custody_by_person(visible(user, acts), today)


def custody_counts_seen_by(user: User, today: dt.date | None = None) -> dict[str, int]:
    """``custody_counts`` of every person's custody derived from the acts ``user`` may view
    (:func:`custody_seen_by`): counted by the database from the stored custody when ``user``
    sees exactly one confidentiality ceiling, and kept per ceiling and day until a write
    changes the stored custody (:func:`vigil.records.count_changes.kept`)."""
    level = exact_ceiling(user)
    if level is not None:
        # Read again only after a write to what it reads (the stored custody: ``kept``).
        day = today or dt.date.today()
        alias = router.db_for_read(StoredCustody) or "default"
        return kept(alias, ("custody_counts", level, day), lambda: counts_at(level, day))
    return custody_counts(custody_seen_by(user, None, today).values())


def custody_of(user: User, person: Person) -> CustodyState:
    """One person's custody derived from the acts ``user`` may view (none: unknown)."""
    found = custody_seen_by(user, [person.pk]).get(person.pk)
    return found if found is not None else CustodyState(Custody.UNKNOWN)
