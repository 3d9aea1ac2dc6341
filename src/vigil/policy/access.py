"""The one policy every view, API endpoint, export, dropdown and command goes through."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.db import models, transaction
from django.db.models import BooleanField, Exists, OuterRef, Q, Value
from django.db.models.expressions import BaseExpression
from django.utils import timezone

from vigil.core.chunks import chunked
from vigil.core.errors import Forbidden
from vigil.core.statements import Statement
from vigil.policy.auditing import audit
from vigil.policy.registry import Governed, Kind, governed, parent_key
from vigil.policy.rules import (
    ACTIONS,
    LEVELS,
    ROLES,
    Reach,
    grant_covers,
    reach_for,
    risk_allowed,
)

if TYPE_CHECKING:
    from vigil.accounts.types import AnyUser

M = TypeVar("M", bound=models.Model)

WRITE_ACTIONS = ("add", "change", "delete")
_REFERENCE_ROLES = {
    "view": set(ROLES),
    "export": set(ROLES),
    "add": {"admin", "coordinator", "analyst", "documenter"},
    "change": {"admin", "coordinator"},
    "delete": {"admin", "coordinator"},
}
_OVERSEERS = {"admin", "coordinator"}


def role_of(user: AnyUser) -> str | None:
    """The user's role if the user may use Vigil at all (authenticated and active)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not getattr(user, "is_active", False):
        return None
    role = getattr(user, "role", None)
    return role if role in ROLES else None


def reference_allows(user: AnyUser, action: str) -> bool:
    """Whether ``user`` may ``action`` reference data (the law, vocabularies, editions)."""
    return role_of(user) in _REFERENCE_ROLES.get(action, set())


def restrict(
    user: AnyUser,
    action: str,
    queryset: models.QuerySet[M],
    *,
    checked_parents: Iterable[str] = (),
) -> models.QuerySet[M]:
    """The part of ``queryset`` that ``user`` may ``action``; deny by default.

    Grants are read when this is called: build the queryset per request, not once for all.

    ``checked_parents``: parents (of the model's policy entry) whose check the statement
    already makes, because the rows are read only as rows of those parents and the outer
    query restricts them for the same user and action (the acts of a person in a list of
    visible persons; the charges of an act of a list of visible acts). Their probes are left
    out: the same rows, without checking each parent twice. A name that is not a parent, or
    an action other than ``view``, is refused (``ValueError``).
    """
    role = role_of(user)
    if role is None:
        return queryset.none()
    skipped = frozenset(checked_parents)
    if skipped:
        spec = governed(queryset.model)
        unknown = skipped - set(spec.parents if spec else ())
        if unknown or action != "view":
            raise ValueError(f"Not parents checked by a view of this model: {sorted(unknown)}")
    return _evaluation(user, role).restrict(action, queryset, skipped)


def _evaluation(user: AnyUser, role: str) -> _Evaluation:
    """The user's evaluation: one per request inside :func:`one_reading`, else a fresh one."""
    cache = _READING.get()
    if cache is None:
        return _Evaluation(user, role)
    key = ("evaluation", getattr(user, "pk", None), role)
    found = cache.get(key)
    if found is None:
        found = cache[key] = _Evaluation(user, role)
    return found


def visible_reference(user: AnyUser, model: type[models.Model], column: str) -> Any:
    """A condition for ``annotate`` or ``filter``: the row's ``column`` holds the key of a
    ``model`` record ``user`` may view — the check the policy makes of a parent, for a
    reference the policy does not check with its record (an act's place). Deny by default."""
    role = role_of(user)
    if role is None:
        return Value(False)
    return _evaluation(user, role).probe(model, column)


def check_signature(user: AnyUser) -> tuple[Any, ...] | None:
    """What the SQL of ``user``'s checks (:func:`visible_reference`, :func:`restrict`) is made
    of — the role, the user and the grants as read now (inside :func:`one_reading`, once a
    request) — to keep SQL compiled from them under, as the checks keep their own; None for
    a user who may view nothing."""
    role = role_of(user)
    if role is None:
        return None
    return _evaluation(user, role).signature


def allowed_row(user: AnyUser, action: str, model: type[models.Model]) -> Any:
    """A condition for ``filter`` or ``exclude`` on rows of ``model``: ``user`` may ``action``
    the row — exactly the check :func:`restrict` makes of each row (its own level and grants,
    its parents), whatever manager the rows were read through, as one ``EXISTS`` on the row's
    key whose SQL is kept per process like a parent check's. Deny by default."""
    role = role_of(user)
    if role is None or action not in ACTIONS:
        return Value(False)
    return _evaluation(user, role).probe(model, "pk", action, deleted=True)


def restrict_history_of(
    user: AnyUser, queryset: models.QuerySet[M], of: Iterable[type[models.Model]]
) -> models.QuerySet[M]:
    """``restrict(user, "view", queryset)`` on versions, for versions of records of the models
    ``of`` only (a page's own records: the check skips every other record model)."""
    role = role_of(user)
    if role is None:
        return queryset.none()
    return _evaluation(user, role).restrict_history("view", queryset, of)


def history_visible(user: AnyUser, model: type[models.Model], ids: Iterable[Any]) -> set[Any]:
    """Of the records of ``model`` with these ids, those whose history ``user`` may view: the
    rule :func:`restrict_history_of` applies to stored versions, for the versions a bulk
    write's batch holds (``vigil.core.history.first_versions``)."""
    role = role_of(user)
    wanted = list(ids)
    if role is None or not wanted:
        return set()
    return _evaluation(user, role).history_visible(model, wanted)


def histories_visible(
    user: AnyUser, wanted: dict[type[models.Model], Iterable[Any]]
) -> dict[type[models.Model], set[Any]]:
    """:func:`history_visible` for the records of several models, asked in one query: by
    model, the ids of those records whose history ``user`` may view (each model's rows
    restricted exactly as :func:`history_visible` restricts them)."""
    role = role_of(user)
    asked = {model: list(ids) for model, ids in wanted.items()}
    if role is None or not any(asked.values()):
        return {model: set() for model in asked}
    return _evaluation(user, role).histories_visible(asked)


def granted_case_ids(user: AnyUser) -> dict[str, list[Any]]:
    """Case ids ``user`` holds an active grant on, by the confidentiality level lifted.

    Inside :func:`one_reading` (a web request) the grants are read once per user.
    """

    cache = _READING.get()
    key = getattr(user, "pk", None)
    if cache is not None and key in cache:
        cached: dict[str, list[Any]] = cache[key]
        return cached
    held = _ACTIVE_GRANTS.rows(key, timezone.now()) if key is not None else []
    found = {
        level: sorted({case for case, granted in held if grant_covers(granted, level)}, key=str)
        for level in LEVELS
    }
    if cache is not None:
        cache[key] = found
    return found


def _active_grants(user_id: Any, at: Any) -> models.QuerySet[Any]:
    from vigil.policy.models import CaseGrant

    return CaseGrant.objects.active(at).filter(user=user_id).values_list("case_id", "level")


class _LazyGrants:
    """The grants read (compiled once per process and database, ``vigil.core.statements``:
    every signed-in request reads them), made when first read: the models load after this."""

    statement: Statement | None = None

    def rows(self, user_id: Any, at: Any) -> list[tuple[Any, ...]]:
        if self.statement is None:
            from vigil.policy.models import CaseGrant

            fields = [CaseGrant._meta.get_field("user"), CaseGrant._meta.get_field("expires")]
            self.statement = Statement(CaseGrant, fields, _active_grants)
        return self.statement.rows(user_id, at)


_ACTIVE_GRANTS = _LazyGrants()

_READING: ContextVar[dict[Any, Any] | None] = ContextVar("vigil_policy_reading", default=None)


@contextmanager
def one_reading() -> Iterator[None]:
    """Read each user's grants once inside this block (one web request), not once per query.

    A grant or revocation inside the block forgets what was read (``forget_grants``).
    """
    token = _READING.set({})
    try:
        yield
    finally:
        _READING.reset(token)


def forget_grants(*args: Any, **kwargs: Any) -> None:
    """Drop the grants read in this block (a grant changed): the next query reads them again."""
    cache = _READING.get()
    if cache is not None:
        cache.clear()


def ceiling_of(role: str) -> str | None:
    """The highest level up to which ``role`` views every record (None: not even public)."""
    ceiling = None
    for level in LEVELS:
        if reach_for(role, "view", level) is not Reach.ALL:
            break
        ceiling = level
    return ceiling


def exact_ceiling(user: AnyUser) -> str | None:
    """The level ``user`` sees records up to, when that is all the user sees of persons, events,
    organisations and acts (no grant or own record above it lifts one more); else None."""
    cache = _READING.get()
    key = ("ceiling", getattr(user, "pk", None))
    if cache is not None and key in cache:
        ceiling: str | None = cache[key]
        return ceiling
    found = _exact_ceiling(user)
    if cache is not None:
        cache[key] = found
    return found


def levels_seen(user: AnyUser, model: type[models.Model]) -> tuple[str, ...] | None:
    """The levels whose live records of ``model`` are all that ``user`` may view, when that is
    the whole rule: the user's view is exactly a ceiling (:func:`exact_ceiling`) and the
    model's policy entry is a record with no parent to check. Then ``restrict(user, "view",
    model's live rows)`` keeps exactly the live rows at these levels. Else None.

    The ceiling must be all the user sees of ``model`` itself (:func:`exact_ceiling_over`): a
    documenter's own restricted source lifts their view of the sources, not of the persons."""
    spec = governed(model)
    if spec is None or spec.kind != Kind.RECORD or spec.parents:
        return None
    ceiling = exact_ceiling_over(user, (model._meta.label_lower,))
    if ceiling is None:
        return None
    return LEVELS[: LEVELS.index(ceiling) + 1]


def _exact_ceiling(user: AnyUser) -> str | None:
    role = role_of(user)
    if role is None:
        return None
    ceiling = ceiling_of(role)
    if ceiling is None:
        return None
    above = LEVELS[LEVELS.index(ceiling) + 1 :]
    grants = granted_case_ids(user)
    own = False
    for level in above:
        reach = reach_for(role, "view", level)
        if reach is Reach.ALL:
            return None
        if reach in (Reach.GRANTED, Reach.OWN_OR_GRANTED) and grants[level]:
            return None
        own = own or reach is Reach.OWN_OR_GRANTED
    if own and _owns_above(user, above):
        return None
    return ceiling


_CEILING_LABELS = ("records.act", "records.person", "records.event", "records.organisation")


def exact_ceiling_over(user: AnyUser, labels: Iterable[str]) -> str | None:
    """:func:`exact_ceiling`, when it is also all ``user`` sees of the records ``labels`` name
    (``"records.source"``, …): no record of theirs that the user created lifts one above it.
    Then ``visible(user, rows)`` of any of those models is ``restrict_to_ceiling(level,
    rows)``. Else None."""
    level = exact_ceiling(user)
    if level is None:
        return None
    role = role_of(user)
    assert role is not None  # a ceiling is reached only with a role
    above = LEVELS[LEVELS.index(level) + 1 :]
    extra = tuple(label for label in labels if label not in _CEILING_LABELS)
    if not extra or all(reach_for(role, "view", lvl) is not Reach.OWN_OR_GRANTED for lvl in above):
        return level
    return None if _owns_above(user, above, extra) else level


def _owns_above(
    user: AnyUser, levels: tuple[str, ...], labels: Iterable[str] = _CEILING_LABELS
) -> bool:
    # Reached only with a role, so a signed-in user. By label, as the registry names models:
    # the policy sits below the record it governs.
    return any(
        apps.get_model(label)
        .all_objects.filter(created_by=user, confidentiality__in=levels)
        .exists()
        for label in labels
    )


def restrict_to_ceiling(
    level: str, queryset: models.QuerySet[M], *, checked_parents: Iterable[str] = ()
) -> models.QuerySet[M]:
    """The records of ``queryset`` that a role viewing every record up to ``level``, and
    nothing above it, may view (with their parents): what stored custody is derived from.

    ``checked_parents``: as :func:`restrict`'s (parents the statement already checks for the
    same ceiling); a name that is not a parent is refused (``ValueError``)."""
    skipped = frozenset(checked_parents)
    if skipped:
        spec = governed(queryset.model)
        unknown = skipped - set(spec.parents if spec else ())
        if unknown:
            raise ValueError(f"Not parents checked by a view of this model: {sorted(unknown)}")
    return _Ceiling(level).restrict("view", queryset, skipped)


class _Evaluation:
    """One evaluation of the policy for one user: grants read once, parents built once."""

    def __init__(self, user: AnyUser, role: str) -> None:
        self.user = user
        self.role = role
        self.grants = granted_case_ids(user)
        self._visible: dict[str, models.QuerySet[Any]] = {}
        self._probes: dict[tuple[str, str], _VisibleProbe] = {}
        self._parents: dict[str, _ParentChecks] = {}
        # Everything this evaluation's conditions are made of: the user (own records, own
        # rows), the role and the grants as read now. The SQL of a parent check is kept per
        # process under it (``_VisibleProbe``), so a changed role or grant is a new key.
        self.signature: tuple[Any, ...] = (
            role,
            getattr(user, "pk", None),
            tuple(tuple(self.grants[level]) for level in LEVELS),
        )

    def restrict(
        self, action: str, queryset: models.QuerySet[M], skipped: frozenset[str] = frozenset()
    ) -> models.QuerySet[M]:
        spec = governed(queryset.model)
        if spec is None or action not in ACTIONS:
            return queryset.none()
        if spec.kind == Kind.RECORD:
            condition = self.record_filter(action, spec)
            if condition is None:
                return queryset.none()
            return self.with_visible_parents(queryset.filter(condition), spec, skipped)
        if spec.kind == Kind.REFERENCE:
            allowed = self.role in _REFERENCE_ROLES.get(action, set())
            return queryset if allowed else queryset.none()
        if spec.kind == Kind.ATTACHED:
            if action != "view":
                return queryset.none()
            return self.with_visible_parents(queryset, spec, skipped)
        if spec.kind == Kind.USER:
            return _restrict_users(self.user, self.role, action, queryset)
        if spec.kind == Kind.HISTORY:
            return self.restrict_history(action, queryset)
        if spec.kind == Kind.OVERSIGHT:
            return _restrict_oversight(self.user, self.role, action, queryset)
        if spec.kind == Kind.RISK:
            if not risk_allowed(self.role, action):
                return queryset.none()
            return self.with_visible_parents(queryset, spec, skipped)
        return queryset.none()

    def record_filter(self, action: str, spec: Governed) -> Q | None:
        parts: list[Q] = []
        for level in LEVELS:
            reach = reach_for(self.role, action, level)
            cases = self.grants[level]
            granted = spec.in_cases(cases) if spec.in_cases and cases else None
            if reach is Reach.ALL:
                parts.append(Q(confidentiality=level))
            elif reach is Reach.GRANTED and granted is not None:
                parts.append(Q(confidentiality=level) & granted)
            elif reach is Reach.OWN_OR_GRANTED:
                own = Q(created_by=self.user)
                parts.append(
                    Q(confidentiality=level) & ((own | granted) if granted is not None else own)
                )
        if not parts:
            return None
        combined = parts[0]
        for part in parts[1:]:
            combined |= part
        return combined

    def visible_rows(
        self, model: type[models.Model], action: str = "view", *, deleted: bool = False
    ) -> models.QuerySet[Any]:
        key = f"{model._meta.label_lower}:{action}:{deleted}"
        if key not in self._visible:
            manager = getattr(model, "all_objects", None) if deleted else None
            rows = (manager or model._default_manager).all()
            self._visible[key] = self.restrict(action, rows)
        return self._visible[key]

    def probe(
        self, model: type[models.Model], column: str, action: str = "view", *, deleted: bool = False
    ) -> _VisibleProbe:
        """``EXISTS`` (a row of ``model`` this user may ``action`` whose key is the outer row's
        ``column``): one object per evaluation, compiled once per outer query shape."""
        key = (f"{model._meta.label_lower}:{action}:{deleted}", column)
        found = self._probes.get(key)
        if found is None:
            found = self._probes[key] = _VisibleProbe(
                lambda: self.visible_rows(model, action, deleted=deleted),
                column,
                (*self.signature, *key),
            )
        return found

    def with_visible_parents(
        self, queryset: models.QuerySet[M], spec: Governed, skipped: frozenset[str] = frozenset()
    ) -> models.QuerySet[M]:
        names = [name for name in spec.parents if name not in skipped]
        if not names:
            return queryset
        model = queryset.model
        key = model._meta.label_lower + "".join(f"-{name}" for name in sorted(skipped))
        checks = self._parents.get(key)
        if checks is None:
            probes = []
            for name in names:
                field = parent_key(model, name)
                deleted = name in spec.deleted_parents
                # Correlated, so the database looks up each row's parent by key; a plain
                # `IN (subquery)` made SQLite scan every parent row for each check.
                found = self.probe(field.related_model, field.attname, deleted=deleted)
                probes.append((field.column, found))
            checks = self._parents[key] = _ParentChecks(tuple(probes), (*self.signature, key))
        return queryset.filter(checks)

    def restrict_history(
        self,
        action: str,
        queryset: models.QuerySet[M],
        of: Iterable[type[models.Model]] | None = None,
    ) -> models.QuerySet[M]:
        from vigil.policy.registry import record_models

        if action != "view":
            return queryset.none()
        condition = Q(pk__in=[])
        wanted = None if of is None else set(of)
        for model in record_models():
            if wanted is not None and model not in wanted:
                continue
            visible = self.probe(model, "object_id", _history_action(model))
            condition |= Q(model=model._meta.label_lower) & Q(visible)
        return queryset.filter(condition)

    def history_visible(self, model: type[models.Model], ids: list[Any]) -> set[Any]:
        return self.histories_visible({model: ids})[model]

    def histories_visible(
        self, wanted: dict[type[models.Model], list[Any]]
    ) -> dict[type[models.Model], set[Any]]:
        from vigil.policy.registry import record_models

        found: dict[type[models.Model], set[Any]] = {model: set() for model in wanted}
        governed_models = record_models()
        # A SELECT of (model number, id) per model and 500 ids, in one UNION ALL of up to
        # eight (4,000 ids: far below the databases' limits on parameters; one statement for
        # a page's few records), one per kind of key (the union reads every id as its first
        # part's key field reads it).
        parts: dict[type[models.Field[Any, Any]], list[models.QuerySet[Any]]] = {}
        order = list(wanted)
        for number, model in enumerate(order):
            ids = wanted[model]
            if model not in governed_models or not ids:
                continue
            rows = self.visible_rows(model, _history_action(model)).order_by()
            for keys in chunked(ids, 500):
                chunk = rows.filter(pk__in=keys)
                key = type(model._meta.pk)
                parts.setdefault(key, []).append(chunk.values_list(Value(number), "pk"))
        for same_key in parts.values():
            for group in chunked(same_key, 8):
                first, *rest = group
                for number, pk in first.union(*rest, all=True) if rest else first:
                    found[order[number]].add(pk)
        return found


def _history_action(model: type[models.Model]) -> str:
    """What viewing a record's history needs: a snapshot holds every field but encrypted ones
    (the history stores "[encrypted]" for those), so an identity field in clear makes it a
    reveal."""
    from vigil.policy.identity import identity_fields

    in_clear = [
        f
        for f in identity_fields(model)
        if not getattr(model._meta.get_field(f), "encrypted", False)
    ]
    return "reveal_identity" if in_clear else "view"


# The SQL of each parent check, per process, by everything it is made of: the evaluation's
# signature (role, user, grants as read by the request), the checked model, action and column,
# the connection and the outer query's shape. Bounded: cleared when full.
_PROBE_SQL: dict[tuple[Any, ...], tuple[str, tuple[Any, ...]]] = {}
_PROBE_SQL_MAX = 4096


class _VisibleProbe(Exists):
    """``EXISTS (visible rows … WHERE pk = outer.column)``, resolved and compiled once per outer
    query shape for the process's lifetime, per evaluation signature.

    The policy's trees nest (a charge's act's victim, event and organisation, each with its own
    conditions), and Django resolved and compiled the whole tree again for each of a page's
    queries: most of a profile page's CPU. This probe defers resolution to compilation, against
    the query being compiled (``compiler.query``, whose base row is the restricted model's), and
    keeps the SQL by what it depends on: the evaluation's signature (role, user, grants: the
    conditions of the visible rows and of their own parents are built from nothing else), the
    checked model, action and column, the connection, the outer query's alias prefix (which
    decides the inner aliases) and its base alias (the outer column). The SQL is exactly what
    ``Exists(rows.filter(pk=OuterRef(column)))`` compiles to in that query. The visible rows
    themselves are built only when a shape is compiled for the first time.
    """

    # A visibility check holds no aggregate or window: say so instead of walking the tree.
    contains_aggregate = False
    contains_over_clause = False

    def __init__(
        self,
        rows: Callable[[], models.QuerySet[Any]],
        column: str,
        signature: tuple[Any, ...],
    ) -> None:
        # Exists.__init__ would build the subquery now; it is built when first needed.
        BaseExpression.__init__(self)
        self.extra: dict[str, Any] = {}
        self._rows_of = rows
        self._column = column
        self._signature = signature

    def __getattr__(self, name: str) -> Any:
        # ``query`` (the unresolved subquery), for whatever in Django walks the expression.
        if name != "query" or "_rows_of" not in self.__dict__:
            raise AttributeError(name)
        query = Exists(self._rows().filter(pk=OuterRef(self._column))).query
        self.__dict__["query"] = query
        return query

    def _rows(self) -> models.QuerySet[Any]:
        rows = self.__dict__.get("_rows_built")
        if rows is None:
            rows = self.__dict__["_rows_built"] = self._rows_of()
        return rows

    def resolve_expression(self, *args: Any, **kwargs: Any) -> _VisibleProbe:
        return self  # resolved in as_sql, against the query being compiled

    def relabeled_clone(self, change_map: Any) -> _VisibleProbe:
        return self  # no column of an outer query is held: nothing to relabel

    def as_sql(
        self, compiler: Any, connection: Any, template: Any = None, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        outer = compiler.query
        if template is not None or extra:
            return self._compile(compiler, connection, template, **extra)
        key = (*self._signature, connection.alias, outer.alias_prefix, outer.base_table)
        hit = _PROBE_SQL.get(key)
        if hit is None:
            hit = self._compile(compiler, connection)
            if len(_PROBE_SQL) >= _PROBE_SQL_MAX:
                _PROBE_SQL.clear()
            _PROBE_SQL[key] = hit
        return hit

    def _compile(
        self, compiler: Any, connection: Any, template: Any = None, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        # A fresh correlation each time: resolving binds the OuterRef's lookup in place.
        probe = Exists(self._rows().filter(pk=OuterRef(self._column)))
        resolved = probe.resolve_expression(compiler.query)
        sql, params = resolved.as_sql(compiler, connection, template, **extra)
        return sql, tuple(params)


class _ParentChecks(BaseExpression):
    """Every parent check of a record, ``(row.parent IS NULL OR EXISTS (visible parent …))``
    for each parent, as one condition whose SQL is kept per process like a probe's (the same
    key, with the restricted model): Django built four lookups per parent for each query."""

    contains_aggregate = False
    contains_over_clause = False
    output_field = BooleanField()

    def __init__(
        self, probes: tuple[tuple[str, _VisibleProbe], ...], signature: tuple[Any, ...]
    ) -> None:
        super().__init__()
        self._probes = probes
        self._signature = signature

    def resolve_expression(self, *args: Any, **kwargs: Any) -> _ParentChecks:
        return self  # compiled against the query being compiled, whose base row is the record

    def relabeled_clone(self, change_map: Any) -> _ParentChecks:
        return self

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        outer = compiler.query
        key = (*self._signature, connection.alias, outer.alias_prefix, outer.base_table)
        hit = _PROBE_SQL.get(key)
        if hit is None:
            table = compiler.quote_name_unless_alias(outer.base_table)
            parts: list[str] = []
            params: list[Any] = []
            for column, probe in self._probes:
                sql, found = probe.as_sql(compiler, connection)
                parts.append(f"({table}.{connection.ops.quote_name(column)} IS NULL OR {sql})")
                params.extend(found)
            hit = (" AND ".join(parts), tuple(params))
            if len(_PROBE_SQL) >= _PROBE_SQL_MAX:
                _PROBE_SQL.clear()
            _PROBE_SQL[key] = hit
        return hit


class _Ceiling(_Evaluation):
    """The policy for a pseudo-role that views every record up to one level, none above."""

    def __init__(self, level: str) -> None:
        self.user = None
        self.role = "ceiling"
        self.grants = {lvl: [] for lvl in LEVELS}
        self._visible = {}
        self._probes = {}
        self._parents = {}
        self.levels = LEVELS[: LEVELS.index(level) + 1]
        self.signature = ("ceiling", self.levels)

    def record_filter(self, action: str, spec: Governed) -> Q | None:
        return Q(confidentiality__in=self.levels) if action == "view" else None


def _restrict_users(
    user: AnyUser, role: str, action: str, queryset: models.QuerySet[M]
) -> models.QuerySet[M]:
    if action == "view":
        return queryset if role in _OVERSEERS else queryset.filter(pk=getattr(user, "pk", None))
    if action in WRITE_ACTIONS and role == "admin":
        return queryset
    return queryset.none()


def _restrict_oversight(
    user: AnyUser, role: str, action: str, queryset: models.QuerySet[M]
) -> models.QuerySet[M]:
    if action != "view":
        return queryset.none()
    if role in _OVERSEERS:
        return queryset
    if queryset.model._meta.label_lower == "policy.userflag":
        return queryset.none()
    return queryset.filter(user=user)


def _manager(obj: models.Model) -> models.Manager[Any]:
    return getattr(type(obj), "all_objects", type(obj)._default_manager)


def allows(user: AnyUser, action: str, obj: models.Model) -> bool:
    """Whether ``user`` may ``action`` this one object."""
    if obj.pk is None:
        return False
    return restrict(user, action, _manager(obj).filter(pk=obj.pk)).exists()


def may_see_risk(user: AnyUser, action: str = "view") -> bool:
    """Whether ``user``'s role may ``action`` risk scores at all (``rules.RISK_RULES``)."""
    return risk_allowed(role_of(user), action)


def require_risk(user: AnyUser, action: str = "view", *, route: str = "") -> None:
    """Raise :class:`Forbidden` (audited as denied) unless ``user`` may ``action`` risk scores."""
    if may_see_risk(user, action):
        return
    audit("denied", actor=user, action=action, reason="risk_role", route=route[:200])
    raise Forbidden("Risk scores are confidential: your role may not see them.")


def _deny(user: AnyUser, action: str, obj: models.Model) -> Forbidden:
    audit("denied", actor=user, obj=obj, action=action)
    return Forbidden(f"You may not {action.replace('_', ' ')} this {obj._meta.verbose_name}.")


class _FellOut(Exception):
    """Rolls back a save whose result left the user's permitted set."""


def check_write(user: AnyUser, action: str, obj: models.Model) -> None:
    """Raise :class:`Forbidden` unless the object as stored is in ``user``'s permitted set."""
    if action not in ACTIONS or not allows(user, action, obj):
        raise _deny(user, action, obj)


def save_checked(user: AnyUser, action: str, obj: Any, *, reason: str = "") -> Any:
    """Add, change or (soft-)delete ``obj`` for ``user``; roll back if it leaves the permitted set.

    The record is saved in a transaction and re-queried through :func:`restrict` (NetBox's
    approach), so a change that moves it outside what the user may write (a documenter
    publishing, a change into a level they do not hold) is undone and refused.
    """
    if action not in WRITE_ACTIONS:
        raise ValueError(f"save_checked handles {WRITE_ACTIONS}, not {action!r}")
    if action != "add":
        check_write(user, action, obj)
    before = (obj.version, obj._state.adding, obj.deleted_at, obj.deleted_by_id)
    try:
        with transaction.atomic():
            if action == "delete":
                obj.soft_delete(reason)
            else:
                obj.save()
            if not allows(user, action, obj):
                raise _FellOut
    except _FellOut:
        obj.version, obj._state.adding, obj.deleted_at, obj.deleted_by_id = before
        if action == "delete":
            obj.deletion_reason = ""
        raise _deny(user, action, obj) from None
    return obj
