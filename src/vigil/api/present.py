"""What every presenter shares: the user's view of related records, terms, refs and custody."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from django.db import models

from vigil.api.schemas.common import Ref, TermOut
from vigil.api.schemas.persons import CustodyOut
from vigil.records.custody import CustodyState
from vigil.records.models import Term
from vigil.records.visible import custody_seen_by, visible

if TYPE_CHECKING:
    from vigil.accounts.types import User

C = TypeVar("C")


def choice(value: object, allowed: tuple[C, ...]) -> C:
    """A stored choice as the schema's Literal (``allowed``: its members, e.g. PRECISIONS);
    a value the schema does not list is an error (a 500), never passed on."""
    for member in allowed:
        if member == value:
            return member
    raise ValueError(f"stored value {repr(value)[:60]} is not one of {allowed!r}")


@overload
def term_out(term: Term) -> TermOut: ...
@overload
def term_out(term: Term | None) -> TermOut | None: ...
def term_out(term: Term | None) -> TermOut | None:
    """A term with its key and English label (None only for an optional term left empty)."""
    return None if term is None else TermOut(key=term.key, label=term.label_en or term.key)


def meta(obj: Any) -> dict[str, Any]:
    """The fields every record carries."""
    return {
        "id": obj.pk,
        "version": obj.version,
        "confidentiality": obj.confidentiality,
        "is_synthetic": obj.is_synthetic,
        "created_at": obj.created_at,
        "updated_at": obj.updated_at,
    }


class Visibility:
    """What one user may see, read once per request and reused across records."""

    def __init__(self, user: User) -> None:
        self.user = user
        self._ids: dict[type[models.Model], set[Any]] = {}

    def view(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        """The viewable part of ``queryset``."""
        return visible(self.user, queryset)

    def ids(self, model: type[models.Model], candidates: Iterable[Any]) -> set[Any]:
        """Which of ``candidates`` (ids of ``model``) the user may view."""
        wanted = {c for c in candidates if c is not None}
        known = self._ids.setdefault(model, set())
        unknown = wanted - known
        if unknown:
            found = self.view(model._default_manager.filter(pk__in=unknown))
            known |= set(found.values_list("pk", flat=True))
        return wanted & known

    def ref(self, model: type[models.Model], obj: Any) -> Ref | None:
        """A reference to ``obj`` when the user may view it, else None."""
        if obj is None or obj.pk not in self.ids(model, [obj.pk]):
            return None
        return Ref(id=obj.pk, name=str(obj))

    def refs(self, queryset: models.QuerySet[Any]) -> list[Ref]:
        """References to the viewable records of ``queryset``, in its order."""
        return [Ref(id=r.pk, name=str(r)) for r in self.view(queryset)]

    def custody(self, person_ids: Iterable[Any]) -> dict[Any, CustodyState]:
        """Custody derived only from the acts the user may see (ids: a list or a subquery)."""
        return custody_seen_by(self.user, person_ids)


def custody_out(state: CustodyState | None) -> CustodyOut:
    """A custody state as output ("unknown" when no visible act says anything)."""
    if state is None:
        return CustodyOut(
            status="unknown", since=None, term_ends=None, term_expired_without_release=False
        )
    return CustodyOut(
        status=state.status.value,
        since=state.since,
        term_ends=state.term_ends,
        term_expired_without_release=state.term_expired_without_release,
    )
