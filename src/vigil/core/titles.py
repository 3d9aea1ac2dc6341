"""Records named as a person reads them, for lists that mix records of many kinds (the change
history): one registry, filled by each app for its own models.

Each app registers, per model, a :class:`Kind`: ``read`` reads the rows of many records at once
(one query) and says which other records their titles borrow from (an act's victim and event,
a name's person); ``name`` then makes a :class:`Title` (the text and, where Vigil has a page for
the record or for the record it belongs to, that page's address) from those rows and the titles
of the records borrowed. :func:`titles_of` reads every kind once, a kind always before the kinds
it borrows from, so a page of fifteen changes costs one query per kind on it, never one per row.

``view`` is the caller's access policy (``restrict(user, "view", queryset)``): ``read`` reads
its rows only through it, and a borrowed record is named only if ``view`` lets it through too,
so a record the user may not view gets no title and lends none of its name. Core imports no
app: the registry knows models by their label and nothing of the policy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Title:
    """A record's name in the page's language and, where there is one, the page to open."""

    text: str
    url: str | None = None


# The caller's access policy: the part of a queryset the user may view.
View = Callable[[models.QuerySet[Any]], models.QuerySet[Any]]
# The titles made so far of the records of a model (by label), by id as a string.
Titles = Callable[[str], dict[str, Title]]
# The rows of the records with these ids the view lets through, and the records (by model
# label, their ids) the titles borrow from.
Read = Callable[[View, list[str]], tuple[Any, Mapping[str, Iterable[Any]]]]
# The titles, by id as a string, made from what ``read`` returned and the borrowed titles.
Name = Callable[[Any, Titles], dict[str, Title]]
# What ``read`` would return, from records the caller has already read through the same view.
Given = Callable[[list[Any]], tuple[Any, Mapping[str, Iterable[Any]]]]


@dataclass(frozen=True)
class Kind:
    """How the records of one model are named: ``needs`` lists the model labels ``read`` may
    borrow from (declared, so that those are read after it); ``given``, when set, makes
    ``read``'s answer from records already in hand (no query)."""

    read: Read
    name: Name
    needs: tuple[str, ...] = ()
    given: Given | None = None


_KINDS: dict[str, Kind] = {}
_ORDER: list[str] = []


def label_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


def register_titles(model: type[models.Model], kind: Kind) -> None:
    """Name the records of ``model`` (an app's ``ready``)."""
    _KINDS[label_of(model)] = kind
    _ORDER.clear()


def has_titles(label: str) -> bool:
    """Whether records of the model labelled ``label`` ("records.person") can be named."""
    return label in _KINDS


def _order() -> list[str]:
    """Every registered label, each before the labels it needs (a depth-first topological
    order; a cycle is a programming error)."""
    if _ORDER:
        return _ORDER
    done: list[str] = []
    state: dict[str, int] = {}

    def visit(label: str) -> None:
        if state.get(label) == 2:
            return
        if state.get(label) == 1:
            raise ValueError(f"Titles borrow from each other in a cycle through {label}")
        state[label] = 1
        for need in _KINDS[label].needs if label in _KINDS else ():
            visit(need)
        state[label] = 2
        done.append(label)

    for label in sorted(_KINDS):
        visit(label)
    _ORDER[:] = [label for label in reversed(done) if label in _KINDS]
    return _ORDER


def titles_of(
    view: View, wanted: Mapping[str, Iterable[Any]], in_hand: Iterable[models.Model] = ()
) -> dict[tuple[str, str], Title]:
    """The titles of the records wanted, by model label and id (as a string). A record ``view``
    hides, or of a model no app names, is left out. ``in_hand``: records the caller has read
    through the same ``view`` (a page's own record and its names); a kind all of whose wanted
    records are in hand is named from them without a query."""
    asked = {label: {str(pk) for pk in ids} for label, ids in wanted.items() if label in _KINDS}
    held: dict[str, dict[str, models.Model]] = {}
    for obj in in_hand:
        held.setdefault(label_of(type(obj)), {})[str(obj.pk)] = obj
    order = _order()
    rows: dict[str, Any] = {}
    for label in order:  # a kind before the kinds it borrows from: each read once
        ids = asked.get(label)
        if not ids:
            continue
        kind = _KINDS[label]
        have = held.get(label, {})
        if kind.given is not None and ids <= have.keys():
            rows[label], needs = kind.given([have[pk] for pk in sorted(ids)])
        else:
            rows[label], needs = kind.read(view, sorted(ids))
        for need, need_ids in needs.items():
            if need not in kind.needs:
                raise ValueError(f"Titles of {label} borrow from {need}, not declared")
            asked.setdefault(need, set()).update(str(pk) for pk in need_ids if pk is not None)
    made: dict[str, dict[str, Title]] = {}
    for label in reversed(order):  # the borrowed first
        if label in rows:
            made[label] = _KINDS[label].name(rows[label], lambda other: made.get(other, {}))
    return {
        (label, pk): title
        for label, ids in wanted.items()
        for pk in {str(i) for i in ids}
        if (title := made.get(label, {}).get(pk)) is not None
    }


# --- the usual shapes of a kind -----------------------------------------------------------


def plain(
    model: type[models.Model], fields: tuple[str, ...], make: Callable[[Any], Title | None]
) -> Kind:
    """A record named by its own fields (a person by name, a fund by its name)."""

    def read(view: View, ids: list[str]) -> tuple[Any, Mapping[str, Iterable[Any]]]:
        found = view(model._default_manager.filter(pk__in=ids)).only("pk", *fields)
        return list(found), {}

    def name(found: Any, titles: Titles) -> dict[str, Title]:
        return {str(r.pk): t for r in found if (t := make(r)) is not None}

    def given(objs: list[Any]) -> tuple[Any, Mapping[str, Iterable[Any]]]:
        return objs, {}

    return Kind(read, name, given=given)


def owned(
    model: type[models.Model],
    column: str,
    owner: type[models.Model],
    text: Callable[[Any, Title], str],
    *,
    fields: tuple[str, ...] = (),
    related: tuple[str, ...] = (),
    url: Callable[[Any], str] | None = None,
    unowned: Callable[[Any], str] | None = None,
) -> Kind:
    """A record named by the record it belongs to (a name by its person, a charge by its act):
    ``text(row, owner's title)``, opening the owner's page; none when the owner is hidden.

    The row is the record's id and its owner's (``column``) unless the text needs more:
    ``fields``, the record read with only those of its fields (an action's kind, a hearing's
    day); ``related``, the record read whole with those related records (a coding's standard).
    ``url(row)``: the record's own page instead of the owner's. ``unowned(row)``: its text when
    the owner is hidden (the record is then still named, by what is its own)."""
    owner_label = label_of(owner)
    whole = bool(fields or related)

    def ids(row: Any) -> tuple[Any, Any]:
        """The record's id and its owner's."""
        return (row.pk, getattr(row, column)) if whole else row

    def read(view: View, pks: list[str]) -> tuple[Any, Mapping[str, Iterable[Any]]]:
        rows = view(model._default_manager.filter(pk__in=pks))
        if related:
            found: list[Any] = list(rows.select_related(*related))
        elif fields:
            found = list(rows.only("pk", column, *fields))
        else:
            found = list(rows.values_list("pk", column))
        return found, {owner_label: [ids(row)[1] for row in found]}

    def name(rows: Any, titles: Titles) -> dict[str, Title]:
        owners = titles(owner_label)
        found = {}
        for row in rows:
            pk, o = ids(row)
            title = owners.get(str(o))
            if title is not None:
                found[str(pk)] = Title(text(row, title), url(row) if url else title.url)
            elif unowned is not None:
                found[str(pk)] = Title(unowned(row), url(row) if url else None)
        return found

    return Kind(read, name, (owner_label,))
