"""What every router shares: policy lookups, write contexts, role checks and pagination."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from uuid import UUID

from django.db import models, transaction
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from vigil.api.auth import api_user
from vigil.core.context import change_context
from vigil.core.errors import Forbidden, NotFound
from vigil.policy.access import role_of
from vigil.records import visible as records_visible

M = TypeVar("M", bound=models.Model)

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


def visible(request: HttpRequest, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """The part of ``queryset`` the request's user may view."""
    return records_visible.visible(api_user(request), queryset)


def visible_or_404(request: HttpRequest, queryset: models.QuerySet[M], pk: UUID) -> M:
    """One record the user may view; 404 alike for missing and hidden records."""
    found = records_visible.visible_one(api_user(request), queryset, pk)
    if found is None:
        raise NotFound(f"No {queryset.model._meta.verbose_name} with this id.")
    return found


def require_role(request: HttpRequest, *roles: str) -> None:
    """Refuse (403) unless the user's role is one of ``roles``."""
    if role_of(api_user(request)) not in roles:
        raise Forbidden("Your role may not do this.")


@contextmanager
def writing(request: HttpRequest) -> Iterator[Any]:
    """Run the enclosed changes atomically under an "api" change context naming the user."""
    user = api_user(request)
    detail = f"{request.method} {_route(request)}"
    with change_context("api", actor=user, detail=detail), transaction.atomic():
        yield user


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return getattr(match, "view_name", "") or "api"


class Paged(LimitOffsetPagination):
    """limit/offset pagination (at most 200 a page) that can decorate a page before output."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=10_000_000)

    class Output(Schema):
        items: list[Any]
        count: int
        limit: int
        offset: int

    def __init__(
        self, prepare: Callable[[HttpRequest, list[Any]], list[Any]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
        self.prepare = prepare

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        """One page of ``queryset``, with the total count and the bounds used."""
        page = super().paginate_queryset(queryset, pagination, request, **params)
        items = list(page["items"])
        if self.prepare is not None:
            items = self.prepare(request, items)
        return {
            "items": items,
            "count": page["count"],
            "limit": pagination.limit,
            "offset": pagination.offset,
        }
