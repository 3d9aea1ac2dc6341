"""The list engine: filters from a GET form, sort by column, pagination, for any list spec."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.utils import formats
from django.utils.functional import cached_property

if TYPE_CHECKING:
    from vigil.accounts.types import User

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
# A narrowed list counts its rows up to this many (or the page asked for, if further): past
# it the page says "more than 1,000" instead of reading every match to count them (issue 14).
COUNT_CAP = 1000
# Set in the filter data for a list's ``rows`` when the page lies past the count's cap: how many
# rows the page needs when it is sorted by an indexed column (its last row's position), so the
# query can read rows in that order and stop once it has them; None when sorted otherwise.
ROWS_IN_ORDER = "_rows_in_order"


class Found(Protocol):
    """What a list's name search found, searched once (``ListSpec.found``)."""

    def queryset(self) -> QuerySet[Any]:
        """The rows ``rows`` gives when the search is the only filter set, in its order."""
        ...

    def count(self) -> int:
        """How many they are, counted another way."""
        ...

    def page(self, order: Sequence[str] | None, low: int, high: int) -> list[Any] | None:
        """Rows ``low`` to ``high`` of them, in the search's order (``order`` None) or sorted by
        ``order`` (``order_by`` arguments), read another way; None when there is none for
        this user."""
        ...


@dataclass(frozen=True)
class Column:
    """One column of a list; ``order`` names the fields it sorts by (empty: not sortable)."""

    key: str
    label: Any
    order: tuple[str, ...] = ()
    numeric: bool = False
    # Its order is an index's: a query may read rows in it and stop once a page is full.
    indexed: bool = False


@dataclass(frozen=True)
class ListSpec:
    """Everything one list needs: its form, columns, base queryset, filters and row builder."""

    name: str
    title: Any
    model: type[Model]
    form_class: type[forms.Form]
    columns: tuple[Column, ...]
    default_sort: str
    rows: Callable[[Any, QuerySet[Any], dict[str, Any]], QuerySet[Any]]
    decorate: Callable[[Any, list[Any]], list[Any]]
    row_template: str
    export_fields: Sequence[str] = ()
    help_text: Any = ""
    # Given the cleaned filters: whether this view's count stops at COUNT_CAP, and whether its
    # ``rows`` may shape the SQL of a page past that cap by ``ROWS_IN_ORDER``.
    capped: Callable[[dict[str, Any]], bool] | None = None
    stops_early: Callable[[dict[str, Any]], bool] | None = None
    # Given the keys a capped count found (every row of the view, when no more than the cap):
    # the same rows read by key, as ``user`` may see them — so the page does not find them
    # again through the view's filters. Sorted as the view is.
    by_keys: Callable[[Any, list[Any]], QuerySet[Any]] | None = None
    # How many rows the list holds for ``user`` when no filter is set (every cleaned value
    # empty): the number ``rows`` then gives, counted another way (no cheaper way: None).
    count_all: Callable[[Any], int] | None = None
    # Given the user, the order (``order_by`` arguments) and the bounds of a page: that page's
    # rows when no filter is set, read another way — the rows ``rows`` then gives, in the same
    # order — or None when there is no other way for this user.
    page_all: Callable[[Any, Sequence[str], int, int], list[Any] | None] | None = None
    # Given the user and the search's text, when the name search (``q``) is the only filter
    # set: what the search found (the rows ``rows`` then gives), to be counted and paged
    # another way.
    found: Callable[[Any, str], Found] | None = None


class CountedPaginator(Paginator):
    """A paginator whose count is given by ``count`` (asked once, when first needed) instead of
    counting rows: the same rows counted another way. A page's rows are read by ``read`` (given
    the page's bounds: the same rows, in the same order, read another way), or when it gives
    None (or there is none) sliced from the queryset ``rows()`` makes — made only then."""

    def __init__(
        self,
        rows: Callable[[], QuerySet[Any]],
        per_page: int,
        count: Callable[[], int],
        read: Callable[[int, int], list[Any] | None] | None = None,
    ):
        super().__init__((), per_page)
        self._rows = rows
        self._count = count
        self._read = read

    # Never more rows than counted (the template asks, as it asks a capped list).
    more = False

    @cached_property
    def count(self) -> int:
        return self._count()

    def page(self, number: int | str) -> Page:
        # Django's ``Paginator.page``, with the rows read by ``read`` when it can.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        found = self._read(bottom, top) if self._read is not None else None
        rows = self._rows()[bottom:top] if found is None else found
        return self._get_page(rows, number, self)  # type: ignore[attr-defined]  # Django's hook


class CappedPaginator(Paginator):
    """A paginator that counts at most ``cap`` + 1 rows; past ``cap`` the count is not known
    (``more``) and the page says "more than" the cap. Rows and their order are unchanged."""

    def __init__(
        self,
        object_list: QuerySet[Any],
        per_page: int,
        cap: int,
        counted: QuerySet[Any] | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap
        # The same rows, in SQL shaped for counting (the page's may be shaped to stop early).
        self.counted = object_list if counted is None else counted

    @cached_property
    def counted_keys(self) -> list[Any]:
        """The keys of the rows counted (up to the cap + 1), in no order."""
        return list(self.counted.order_by().values_list("pk", flat=True)[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        return len(self.counted_keys)

    @property
    def more(self) -> bool:
        """Whether there are more rows than the cap (the count shown is a lower bound)."""
        return self.count > self.cap

    @property
    def cap_label(self) -> str:
        """The cap as the user's language writes numbers (1,000; 1 000)."""
        return str(formats.number_format(self.cap, force_grouping=True))


@dataclass(frozen=True)
class Header:
    """A column header as rendered: its sort link and ``aria-sort`` state."""

    column: Column
    url: str
    aria_sort: str


@dataclass
class ListPage:
    """One page of a list, with what the template needs to redraw the same view."""

    spec: ListSpec
    form: forms.Form
    page: Page
    rows: list[Any]
    sort: str
    headers: list[Header]
    filter_query: str
    active_filters: int
    extra: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def _filters(self) -> _Query:
        return _Query(self.filter_query)

    def page_url(self, number: int) -> str:
        """The query string of page ``number`` of this same view."""
        if self.sort == self.spec.default_sort:
            return self._filters.set(page=str(number))
        return self._filters.set(sort=self.sort, page=str(number))

    @cached_property
    def labels(self) -> dict[str, str]:
        """Each column's label in the page's language, by the column's key: what a row's cells
        carry (``data-label``) to be read as a stacked card on a phone, as the header says."""
        return {c.key: str(c.label) for c in self.spec.columns}

    @cached_property
    def view_query(self) -> str:
        """The filters and sort of this view, without the page: what an export covers."""
        if self.sort == self.spec.default_sort:
            return self.filter_query
        return self._filters.set(sort=self.sort)

    @cached_property
    def prev_url(self) -> str:
        """The query of the previous page, blank on the first."""
        has = self.page.has_previous()
        return self.page_url(self.page.previous_page_number()) if has else ""

    @cached_property
    def next_url(self) -> str:
        """The query of the next page, blank on the last."""
        return self.page_url(self.page.next_page_number()) if self.page.has_next() else ""


class _Query:
    """A view's query string parsed, and each key's pairs encoded, once: the same query with a
    value or two set (a page, a sort) is then what ``QueryDict(base)`` with those values set
    would ``urlencode`` — the same keys in the same order, a key set keeping its place, a new
    one last. A page's headers, previous and next pages and export each parsed and encoded the
    whole query again."""

    def __init__(self, base: str) -> None:
        parsed = QueryDict(base)
        self.encoding = parsed.encoding
        self.parts = {key: self._encoded(key, values) for key, values in parsed.lists()}

    def _encoded(self, key: str, values: list[str]) -> str:
        # As ``QueryDict.urlencode`` encodes each pair.
        encoding = self.encoding
        pairs = (urlencode({key.encode(encoding): str(v).encode(encoding)}) for v in values)
        return "&".join(pairs)

    def set(self, **values: str) -> str:
        """The query with ``values`` set."""
        parts = dict(self.parts)
        for key, value in values.items():
            parts[key] = self._encoded(key, [value])
        return "&".join(parts.values())


def parse_sort(spec: ListSpec, raw: str | None) -> str:
    """The requested sort if it names a sortable column (``-`` for descending), else the default."""
    raw = (raw or "").strip()
    key = raw.lstrip("-")
    if any(c.key == key and c.order for c in spec.columns):
        return raw
    return spec.default_sort


def ordering(spec: ListSpec, sort: str) -> list[Any]:
    """The ``order_by`` arguments for ``sort``, ending with the primary key for a stable page."""
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    column = next(c for c in spec.columns if c.key == key)
    fields = [f"-{f}" if descending else f for f in column.order]
    return [*fields, "-pk" if descending else "pk"]


def headers(spec: ListSpec, sort: str, filter_query: str) -> list[Header]:
    """Headers whose links flip the direction of the current sort column."""
    current = sort.lstrip("-")
    descending = sort.startswith("-")
    filters = _Query(filter_query)
    found = []
    for column in spec.columns:
        if not column.order:
            found.append(Header(column, "", ""))
            continue
        if column.key == current:
            aria = "descending" if descending else "ascending"
            target = column.key if descending else f"-{column.key}"
        else:
            aria = "none"
            target = column.key
        found.append(Header(column, filters.set(sort=target), aria))
    return found


def page_number(params: QueryDict) -> int:
    """The page ``params`` asks for (1 when none or not a number)."""
    try:
        return max(1, int(params.get("page") or 1))
    except ValueError:
        return 1


def filtered(spec: ListSpec, user: User, params: QueryDict) -> tuple[forms.Form, QuerySet[Any]]:
    """The bound filter form and the sorted queryset of the view ``params`` describe."""
    form, data = _form(spec, user, params)
    return form, _rows(spec, user, params, data)


def _form(spec: ListSpec, user: User, params: QueryDict) -> tuple[forms.Form, dict[str, Any]]:
    """The bound filter form and the filters it reads. A value that does not read (a typo in
    a typed date) is reported beside its field and left out; the other filters still apply
    (dropping them all showed every row under the error)."""
    form = spec.form_class(params or None, user=user)  # type: ignore[call-arg]
    if not form.is_bound or form.is_valid():
        return form, (dict(form.cleaned_data) if form.is_bound else {})
    return form, {k: v for k, v in form.cleaned_data.items() if k not in form.errors}


def _rows(spec: ListSpec, user: User, params: QueryDict, data: dict[str, Any]) -> QuerySet[Any]:
    return _sorted(spec, params, spec.rows(user, spec.model._default_manager.all(), data))


def _sorted(spec: ListSpec, params: QueryDict, queryset: QuerySet[Any]) -> QuerySet[Any]:
    if by_relevance(params, queryset):
        return queryset
    return queryset.order_by(*ordering(spec, parse_sort(spec, params.get("sort"))))


def relevance_asked(params: QueryDict) -> bool:
    """A name search with no sort asked for: the search's best-match-first order."""
    return bool(params.get("q", "").strip()) and not params.get("sort")


def by_relevance(params: QueryDict, queryset: QuerySet[Any]) -> bool:
    """A name search with no sort asked for keeps the search's best-match-first order."""
    explicit = bool(queryset.query.order_by)  # set by the search, not a model default
    return relevance_asked(params) and explicit


def _paginator(
    spec: ListSpec,
    user: User,
    params: QueryDict,
    data: dict[str, Any],
    rows: Callable[[], QuerySet[Any]],
) -> Paginator:
    """A narrowed list counts up to its cap. Past the cap (many matches), the page tells the
    list's ``rows`` how many rows it needs when sorted by an indexed column (``ROWS_IN_ORDER``;
    None when sorted otherwise), which may shape its SQL differently (to stop early); the count
    stays on the first queryset (the same rows). ``rows()`` makes the view's queryset: a list
    with no filter that counts and reads its pages another way (``count_all``, ``page_all``),
    or with only the name search (``found``), may never need it."""
    if spec.count_all is not None and not any(data.values()):
        count_all, page_all = spec.count_all, spec.page_all
        read = None
        if page_all is not None and not params.get("q", "").strip():  # no search's order
            order = ordering(spec, parse_sort(spec, params.get("sort")))
            read = functools.partial(page_all, user, order)
        return CountedPaginator(rows, PAGE_SIZE, lambda: count_all(user), read)
    query = data.get("q") or ""
    if spec.found is not None and query and not any(v for k, v in data.items() if k != "q"):
        # Only the name search: searched once, its hits counted and paged another way; the
        # queryset, made of the same hits, only for a page that cannot be read so.
        found = spec.found(user, query)
        # The search's order unless a sort is asked for (``by_relevance``: a search's queryset
        # is always ordered explicitly).
        by: list[Any] | None = None
        if not relevance_asked(params):
            by = ordering(spec, parse_sort(spec, params.get("sort")))
        read = functools.partial(found.page, by)
        return CountedPaginator(
            lambda: _sorted(spec, params, found.queryset()), PAGE_SIZE, found.count, read
        )
    queryset = rows()
    if spec.capped is None or not spec.capped(data):
        return Paginator(queryset, PAGE_SIZE)
    number = page_number(params)
    paginator = CappedPaginator(queryset, PAGE_SIZE, max(COUNT_CAP, number * PAGE_SIZE))
    key = parse_sort(spec, params.get("sort")).lstrip("-")
    in_order = any(c.key == key and c.indexed for c in spec.columns)
    early = spec.stops_early is not None and spec.stops_early(data)
    if early and not params.get("q", "").strip() and paginator.more:
        needed = number * PAGE_SIZE if in_order else None
        paginator.object_list = _rows(spec, user, params, {**data, ROWS_IN_ORDER: needed})
    elif spec.by_keys is not None and not paginator.more and not by_relevance(params, queryset):
        # The count found every row: the page reads those rows by key instead of finding them
        # again through the filters (a court with custody: 504 of 6,300 persons in custody,
        # each probed for an act at the court, twice).
        rows_by_key = spec.by_keys(user, paginator.counted_keys)
        paginator.object_list = rows_by_key.order_by(*queryset.query.order_by)
    return paginator


def list_page(spec: ListSpec, user: User, params: QueryDict) -> ListPage:
    """The page of ``spec`` that ``params`` asks for, as ``user`` may see it."""
    form, data = _form(spec, user, params)
    sort = parse_sort(spec, params.get("sort"))
    kept = QueryDict(mutable=True)
    active = 0
    for name in form.fields:
        values = [v for v in params.getlist(name) if v.strip()]
        if values and form.is_bound and name not in form.errors:
            kept.setlist(name, values)
            active += 1
    filter_query = kept.urlencode()
    make_rows = functools.partial(_rows, spec, user, params, data)  # when a page needs it
    paginator = _paginator(spec, user, params, data, make_rows)
    page = paginator.get_page(params.get("page"))
    rows = spec.decorate(user, list(page.object_list))
    return ListPage(
        spec=spec,
        form=form,
        page=page,
        rows=rows,
        sort=sort,
        headers=headers(spec, sort, filter_query),
        filter_query=filter_query,
        active_filters=active,
    )
