"""An act's related rows — its charges, perpetrators, counsel and participants — as every page
reads them: one table of the four kinds, each with its base query through the one permission
policy, its order and the columns it reads, and the related records read with an act.

The act lists (``visible_acts``: the rows prefetched, each kind's query from
:meth:`RowKind.ordered`) and the person page's timeline (``act_rows``: each kind's rows read by
:meth:`RowKind.visible_rows` without ``ORDER BY`` and sorted by :meth:`RowKind.sort_key`) are
both built from :data:`ROW_KINDS`, so a policy filter, a related record, a column or an order
changed here changes both.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import models
from django.db.models import Exists, OuterRef

from vigil.records.models import ActCharge, Counsel, Involvement, Participant
from vigil.records.visible import visible

if TYPE_CHECKING:
    from vigil.accounts.types import User

M = TypeVar("M", bound=models.Model)

# The records read with an act wherever an act is shown with its rows (one join each).
ACT_RELATED: tuple[str, ...] = (
    "act_type",
    "place",
    "event",
    "sentence_regime",
    "restriction_measure",
)

# The rows are read only as rows of acts that the outer query (or the caller) has restricted
# for the same user: their act's check is made there, not again here (their other parents —
# the perpetrator, the lawyer, the participant — are still checked by the policy).
OF_ACTS: tuple[str, ...] = ("act",)

# Fields whose values Python orders as both databases' ``ORDER BY`` does: UUIDs (SQLite's
# 32-character hex, PostgreSQL's bytes), numbers, dates and times (a NULL placed apart, where
# the database puts it). Text is not among them (a PostgreSQL collation is not Python's order).
_SORTED_ALIKE = (models.UUIDField, models.DateField, models.IntegerField)  # with subclasses


def null_placed(value: Any, nulls_last: bool) -> tuple[bool, Any]:
    """A sort key that orders ``value`` as an ascending ``ORDER BY`` does on a database that
    sorts a NULL after every value (``nulls_last``) or before: NULLs are grouped apart and
    never compared with a value."""
    return ((value is None) == nulls_last, value)


def database_order(
    model: type[models.Model], order: Iterable[str], nulls_last: bool
) -> Callable[[Any], tuple[Any, ...]]:
    """The sort key putting rows of ``model`` in the order an ascending ``ORDER BY`` of the
    fields ``order`` gives on a database that sorts a NULL last (``nulls_last``) or first.

    Only fields Python orders as the databases do are accepted (:data:`_SORTED_ALIKE`); a
    descending or other field raises ``ValueError``."""
    attnames: list[tuple[str, bool]] = []
    for name in order:
        found = None if name.startswith("-") else model._meta.get_field(name)
        if not isinstance(found, _SORTED_ALIKE):
            raise ValueError(f"{model.__name__}.{name}: not ordered alike in Python")
        attnames.append((found.attname, found.null))

    def key(row: Any) -> tuple[Any, ...]:
        parts: list[Any] = []
        for attname, nullable in attnames:
            value = getattr(row, attname)
            parts.extend(null_placed(value, nulls_last) if nullable else (value,))
        return tuple(parts)

    return key


@dataclass(frozen=True)
class RowKind(Generic[M]):
    """One kind of an act's related rows, as every page reads it.

    ``name``: the act's related name (and the attribute of the timeline's rows);
    ``related``: the records read with each row (``select_related``); ``order``: the order
    the rows are shown in (ascending fields, a unique one last); ``shown``: the only columns
    read (None: every column); ``presence``: the name of the act's annotation saying whether
    any row of this kind, of any confidentiality and deleted or not, names the act
    (:func:`presence_annotations`) — where none does, a reader may leave the read out.
    """

    name: str
    model: type[M]
    related: tuple[str, ...]
    order: tuple[str, ...]
    shown: tuple[str, ...] | None = None
    presence: str | None = None
    _keys: dict[bool, Callable[[Any], tuple[Any, ...]]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        # Ties would be left to each database (and to Python's stable sort): refused.
        last = self.model._meta.get_field(self.order[-1])
        if not (isinstance(last, models.Field) and (last.primary_key or last.unique)):
            raise ValueError(f"{self.model.__name__}: order by a unique field last")
        # Made once (and a field Python does not order as the databases do refused here).
        keys = {last: database_order(self.model, self.order, last) for last in (False, True)}
        object.__setattr__(self, "_keys", keys)

    def visible_rows(
        self, user: User, act_ids: Collection[Any] | None = None
    ) -> models.QuerySet[M]:
        """The rows of this kind ``user`` may view (of the acts ``act_ids``, when given), read
        as rows of acts already restricted for ``user`` (:data:`OF_ACTS`), without an order."""
        rows = self.model.objects.select_related(*self.related)  # type: ignore[attr-defined]
        if self.shown is not None:
            rows = rows.only(*self.shown)
        if act_ids is not None:
            rows = rows.filter(act_id__in=act_ids)
        found: models.QuerySet[M] = visible(user, rows, checked_parents=OF_ACTS)
        return found.order_by()

    def ordered(self, user: User) -> models.QuerySet[M]:
        """:meth:`visible_rows` of every act, in :attr:`order` (a prefetch's query)."""
        return self.visible_rows(user).order_by(*self.order)

    def sort_key(self, nulls_last: bool) -> Callable[[M], tuple[Any, ...]]:
        """The key that sorts rows read without ``ORDER BY`` as :meth:`ordered` orders them on
        a database that sorts a NULL last (``nulls_last``) or first."""
        return self._keys[nulls_last]


# What the timeline shows of a perpetrator: the involvement, its role and degree, and of the
# person or organisation its link and name (``person_name``: the id, the display name and
# whether it is withheld; an organisation's name): each row read every column of both (38
# more, for one or two rows an act).
INVOLVEMENT_SHOWN: tuple[str, ...] = (
    *(f.name for f in Involvement._meta.concrete_fields),
    "role",
    "degree",
    "perpetrator_person__display_name",
    "perpetrator_person__name_withheld",
    "perpetrator_organisation__display_name",
)

CHARGES: RowKind[ActCharge] = RowKind("charges", ActCharge, ("provision",), ("id",))
INVOLVEMENTS: RowKind[Involvement] = RowKind(
    "involvements",
    Involvement,
    ("perpetrator_person", "perpetrator_organisation", "role", "degree"),
    ("created_at", "id"),
    shown=INVOLVEMENT_SHOWN,
)
COUNSEL: RowKind[Counsel] = RowKind(
    "counsel", Counsel, ("lawyer",), ("id",), presence="has_counsel"
)
PARTICIPANTS: RowKind[Participant] = RowKind(
    "participants", Participant, ("person",), ("id",), presence="has_participants"
)

# The four kinds, in the order pages read them.
ROW_KINDS: tuple[RowKind[Any], ...] = (CHARGES, INVOLVEMENTS, COUNSEL, PARTICIPANTS)


def presence_annotations() -> dict[str, Exists]:
    """For an act query's ``annotate``: whether any row of each kind that has a
    :attr:`RowKind.presence` names the act (any confidentiality, deleted or not: the rows
    themselves are never read, and a hidden row still makes the reader ask the policy)."""
    return {
        kind.presence: Exists(kind.model.all_objects.filter(act=OuterRef("pk")))
        for kind in ROW_KINDS
        if kind.presence is not None
    }
