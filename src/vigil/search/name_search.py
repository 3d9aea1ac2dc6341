"""Finding persons by any spelling of any of their names: indexed keys, then the scorer.

Lookup reads the key index (sound skeletons, given-name ids, tokens and token prefixes,
skeletons one edit away); only the few forms found are scored with ``vigil.names.compare``.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q, QuerySet
from rapidfuzz import fuzz

from vigil.core import generations
from vigil.core.db.keys_in import KeysAny, key_column
from vigil.names import compare, normalise
from vigil.policy.access import check_signature, visible_reference
from vigil.records.models import Person, PersonName
from vigil.search.models import NameForm, NameKey, NameText, NameToken
from vigil.search.name_index import TEXTS_GENERATION
from vigil.search.spelling import KEY_LENGTH, QueryToken, query_tokens, token_keys

if TYPE_CHECKING:
    from vigil.accounts.types import User

#: Query words looked up (a pasted paragraph is not a name).
MAX_TOKENS = 6
#: Key rows read per query at most.
ROW_CAP = 50_000
#: Forms loaded per query at most, the best by tier and words matched (then string similarity).
FORM_CAP = 500
#: Rows of the required words' own keys from which their near keys are read only if needed.
NEAR_AFTER = 400
#: Forms loaded at a time (at least; up to the end of the last group of equal rank and
#: string similarity).
LOAD_BATCH = 60
#: Forms of a batch from which they are read first and checked against the policy in their
#: final order, ``CHECK_BATCH`` at a time, only until they name enough persons (a smaller batch
#: is read with the checks, in one statement).
CHECK_FROM = 200
#: Forms checked against the policy at a time when a batch is checked in order: at most
#: ``CHECK_BATCH``, and at least ``CHECK_MIN`` even when fewer would name the persons wanted
#: (``_to_check``).
CHECK_BATCH = 100
CHECK_MIN = 20
#: Persons returned at most: the best of them, scored in full with the name scorer.
MAX_RESULTS = 50
#: Least score of a form found only by skeletons one edit away.
NEAR_FLOOR = 0.5
#: Match tiers, best first.
EXACT, KEYED, NEAR = 0, 1, 2
STRONG, WEAK = 2, 1
_Rows = list[tuple[int, str]]  # (form id, key)
_PersonKey = str | uuid.UUID  # a person's id as read, one type per database (``_person_key``)
_Loaded = tuple[_PersonKey, str, str]  # person's key, text, normalised


@dataclass(frozen=True)
class PersonHit:
    """A person found by a name search, with the name that matched best."""

    person_id: Any
    form: str
    tier: int
    score: float


@dataclass(frozen=True)
class _Form:
    """A candidate name form, ranked before the policy and the scorer see it; ``person_id``:
    its person's key (``_person_key``)."""

    rank: tuple[int, int, float]
    person_id: _PersonKey
    text: str


def find_persons(query: str, user: User | None = None, limit: int = MAX_RESULTS) -> list[PersonHit]:
    """Persons with a name matching ``query`` in any script or spelling, best first.

    Given a ``user``, a form counts only when that user may view the person and, for a stored
    name, the name itself: a hidden alias must not find a visible person.
    """
    return [
        PersonHit(_person_id(key), text, tier, score)
        for key, text, tier, score in _hits(query, user, limit)
    ]


def person_keys(query: str, user: User | None = None, limit: int = MAX_RESULTS) -> list[Any]:
    """The ids of the persons :func:`find_persons` finds, in its order, as the database gives
    them and takes them back as parameters: on SQLite the 32 hex digits Django writes, on
    PostgreSQL a UUID (``_person_key``) — what ``get_db_prep_value`` makes of each hit's id,
    without building ~50 UUIDs a search and preparing each again for the page's statements."""
    return [key for key, _text, _tier, _score in _hits(query, user, limit)]


#: A person found: its key (``_person_key``), the text of its best form, tier and score.
_Hit = tuple[_PersonKey, str, int, float]


def _hits(query: str, user: User | None, limit: int) -> list[_Hit]:
    """The persons found, best first (``find_persons``), by key."""
    tokens = query_tokens(query)[:MAX_TOKENS]
    if not tokens:
        return []
    best: dict[_PersonKey, _Hit] = {}
    scores: dict[str, float] = {}  # namesakes share a text: each scored once
    for form in _first_persons(_ranked(query, tokens, user, limit), limit):
        score = scores.get(form.text)
        if score is None:
            score = scores[form.text] = compare(query, form.text).score
        tier = form.rank[0]
        if tier == NEAR and score < NEAR_FLOOR:
            continue
        current = best.get(form.person_id)
        if current is None or (tier, -score) < (current[2], -current[3]):
            best[form.person_id] = (form.person_id, form.text, tier, score)
    # A key orders as the id's text does (``_person_key``: the same hex digits, dashes aside).
    return sorted(best.values(), key=lambda h: (h[2], -h[3], h[1], h[0]))


def _ranked(
    query: str, tokens: list[QueryToken], user: User | None = None, limit: int = MAX_RESULTS
) -> list[_Form]:
    """Candidate forms, best first by tier, words matched and string similarity: at least
    those of the first ``limit`` persons.

    Given a ``user``, only forms whose person (and stored name) that user may view: the policy
    is asked in the query that loads the forms or, for a batch of ``CHECK_FROM`` forms or more,
    in their final order until they name ``limit`` persons (``_load``): a form the user may not
    see is left out before it can take a place.

    The first ``FORM_CAP`` forms by rank (tier, words matched) are kept, forms of equal rank
    in the order one read of every key gives them (``_seen``); they are ordered by rank and
    string similarity from their normalised texts, named by the key rows (``NameKey.text_id``,
    the texts read by id: ``_Texts``)
    and loaded a whole (tier, words matched, similarity) group at a time, best first, until the
    loaded ones name ``limit`` persons: text and person order forms only inside such a group,
    so no form of a later group can come before them (``_load``).

    The key rows are read in two steps (``_Reads``): when the required words' own keys are
    many, first without the skeletons one edit away from those words: they only add forms of
    the NEAR tier (a form with every required word's own key is KEYED, with the same rank,
    either way). If the KEYED forms then name ``limit`` persons, no NEAR form can be among
    the first of them and the near keys are never read; otherwise they are, and the forms are
    ranked again from every row, as in one step.
    """
    reads = _Reads(tokens)
    wanted = normalise(query)
    loaded = _Loads(user)
    texts = reads.named
    rows = reads.first()
    found = _qualifying(tokens, rows)
    if reads.partial:
        # Only the KEYED forms are ranked for certain without the near keys.
        keyed = {pk: rank for pk, rank in found.items() if rank[0] == KEYED}
        seen = _seen(tokens, rows)
        forms, persons = _load(wanted, keyed, seen, texts, user, limit, loaded)
        if persons >= limit:
            return forms
        rows = reads.rest()
        found = _qualifying(tokens, rows)
    forms, _ = _load(wanted, found, _seen(tokens, rows), texts, user, limit, loaded)
    return forms


def _load(
    wanted: str,
    found: dict[int, tuple[int, int]],
    seen: dict[int, int],
    texts: _Texts,
    user: User | None,
    limit: int,
    loaded: _Loads,
) -> tuple[list[_Form], int]:
    """The best ``found`` forms ``user`` may see until they name ``limit`` persons; and how
    many persons they name (at most ``limit``: then the forms end with the first form of the
    last of them). ``loaded`` keeps forms read before.

    The first ``FORM_CAP`` forms by rank are kept, forms of equal rank in the order ``seen``
    gives, then by id (``_seen``). Each kept form's tier (EXACT when its normalised text is
    the query's), rank and string similarity come from its text (``texts``: its id read with
    the key rows, the texts of the kept forms then read by id; a form's text never changes),
    so the kept forms are ordered by them before any is read; they are then read a whole
    (tier, words matched, similarity) group at a time, at least ``LOAD_BATCH`` forms, best
    first — at 100k the first 50 persons of a common surname need 50–90 forms of the 500
    kept. The forms read are ordered (tier, words matched, string similarity, text, person,
    place) and checked against the policy in that order (``_Loads``) only until they name
    ``limit`` persons: a form not read has a later (tier, words matched, similarity) than
    every form read, so the forms and persons are those of ordering and checking every kept
    form. A kept form whose text is no longer stored is gone (``_Texts``).
    """
    order = [(rank, seen.get(pk, _FIRST), pk) for pk, rank in found.items()]
    order.sort()
    del order[FORM_CAP:]
    texts.name_unnamed([pk for _, _, pk in order])
    ids = texts.ids
    named = texts.read([ids[pk] for _, _, pk in order])
    # Forms of a surname share few distinct spellings: each text's (exact, similarity) once.
    similarity: dict[int, tuple[bool, float]] = {}
    # (tier, words matched, similarity, place among the kept forms, form id).
    keyed: list[tuple[int, int, float, int, int]] = []
    for place, ((tier, weight), _, pk) in enumerate(order):
        text_id = ids[pk]
        known = similarity.get(text_id)
        if known is None:
            normalised = named.get(text_id)
            if normalised is None:
                # Pruned since the key rows were read: no form holds it, so the form is gone
                # too (as reading it would find).
                continue
            known = similarity[text_id] = (
                normalised == wanted,
                -fuzz.token_sort_ratio(wanted, normalised),
            )
        exact, ratio = known
        keyed.append((EXACT if exact else tier, weight, ratio, place, pk))
    keyed.sort()
    # (tier, words matched, similarity, text, person's key, place, form id): the place makes
    # every entry distinct, so sorting the whole tuple orders forms of equal rank, text and
    # person as a stable sort on the first five would (in the order of the kept forms), and
    # the form id is never compared.
    ranked: list[_Ranked] = []
    forms: list[_Form] = []
    persons: set[Any] = set()
    rows = loaded.rows
    start = 0
    while start < len(keyed):
        end = _group_end(keyed, start + LOAD_BATCH)
        batch = keyed[start:end]
        loaded.read([pk for *_, pk in batch if pk not in rows])
        for tier, weight, ratio, place, pk in batch:
            row = rows[pk]
            if row is None:
                continue
            person, text, _normalised = row
            # The person's key (``_person_key``), which orders as the person's id does.
            ranked.append((tier, weight, ratio, text, person, place, pk))
        ranked.sort()
        forms, persons = _in_order(ranked, loaded, limit)
        if len(persons) >= limit:
            break
        start = end
    return forms, len(persons)


#: A form as ordered: tier, words matched, string similarity, text, its person's key
#: (``_person_key``), its place among the forms kept, its id (``_load``).
_Ranked = tuple[int, int, float, str, _PersonKey, int, int]


def _in_order(
    ranked: list[_Ranked], loaded: _Loads, limit: int
) -> tuple[list[_Form], set[_PersonKey]]:
    """The forms of ``ranked`` (in order) the user may see, up to the first form of the
    ``limit``-th person; and their persons (by key). Forms not yet checked are checked on the
    way, a batch at a time (``_to_check``)."""
    forms: list[_Form] = []
    persons: set[_PersonKey] = set()
    rows = loaded.rows
    unchecked = loaded.unchecked
    for at, (tier, weight, ratio, text, person, _place, pk) in enumerate(ranked):
        if pk in unchecked:
            loaded.check(_to_check(ranked, at, loaded, persons, limit))
        if rows[pk] is None:
            continue
        if person not in persons:
            if len(persons) >= limit:
                break
            persons.add(person)
        forms.append(_Form((tier, weight, ratio), person, text))
        if len(persons) >= limit:
            # Later forms are of persons already placed (never a person's first form, all
            # that ``_first_persons`` takes) or of persons past the last one.
            break
    return forms, persons


def _to_check(
    ranked: list[_Ranked],
    at: int,
    loaded: _Loads,
    persons: set[_PersonKey],
    limit: int,
) -> list[int]:
    """The forms from ``ranked[at]`` on that are still to be checked, up to the one that would
    name the ``limit``-th person if every form were visible (past it the walk needs none unless
    some are hidden); at least ``CHECK_MIN``, at most ``CHECK_BATCH`` of them.

    At 100k a common surname's first 50 persons need 50–75 forms: checking exactly those
    instead of the next 100 saves the policy's probes of the rest (one statement either way
    for a user who may see them all).
    """
    wanted = limit - len(persons)
    batch: list[int] = []
    named: set[_PersonKey] = set()
    for _tier, _weight, _ratio, _text, person, _place, pk in islice(ranked, at, None):
        fresh = person not in persons and person not in named
        if fresh and len(named) >= wanted and len(batch) >= CHECK_MIN:
            break
        if pk in loaded.unchecked:
            batch.append(pk)
            if len(batch) >= CHECK_BATCH:
                break
        elif loaded.rows[pk] is None:
            continue  # checked and hidden: it names no one
        if fresh:
            named.add(person)
    return batch


class _Loads:
    """Forms read for one search: ``rows`` by id (``None``: one the user may not see, or gone);
    ``unchecked``: ids read whose policy check is still to come (``check``)."""

    def __init__(self, user: User | None) -> None:
        self.user = user
        self.rows: dict[int, _Loaded | None] = {}
        self.unchecked: set[int] = set()

    def read(self, ids: list[int]) -> None:
        """Read these forms: with the policy's checks, or, from ``CHECK_FROM`` forms, without
        them for now (``unchecked``: their order decides which are ever checked)."""
        if not ids:
            return
        self.rows.update(dict.fromkeys(ids))  # None: not visible (or gone)
        if self.user is None or len(ids) < CHECK_FROM:
            self.rows.update(_visible_forms(self.user, ids))
            return
        read = _forms(ids)
        self.rows.update(read)
        self.unchecked.update(read)

    def check(self, ids: list[int]) -> None:
        """Check these forms read before: ``None`` for those the user may not see (or gone)."""
        visible = _visible_ids(self.user, ids)
        for pk in ids:
            self.unchecked.discard(pk)
            if pk not in visible:
                self.rows[pk] = None


class _Texts:
    """The normalised texts of one search's forms: ``ids``, each form's text id as the key rows
    name it (``_Reads.texts``); the texts read by id (``read``), each once a search."""

    def __init__(self, ids: dict[int, int]) -> None:
        self.ids = ids
        self._texts: dict[int, str] = {}
        #: The texts this process keeps (``_kept_texts``), looked up at the first read.
        self._kept: dict[int, str] | None = None
        self._looked_up = False

    def name_unnamed(self, form_ids: list[int]) -> None:
        """Give the forms whose key rows name no text (0: written by a release before
        migration ``search/0006`` while it served beside this one, until the history's replay
        writes them anew) their texts, read from the forms themselves, under their own ids
        negated (text ids are positive). A form gone meanwhile keeps none: gone, as reading
        it would find."""
        unnamed = [pk for pk in form_ids if not self.ids[pk]]
        if not unnamed:  # every search once the release before 0006 no longer serves
            return
        for pk, normalised in NameForm.objects.filter(pk__in=unnamed).values_list(
            "pk", "normalised"
        ):
            self.ids[pk] = -pk
            self._texts[-pk] = normalised

    def read(self, text_ids: Iterable[int]) -> dict[int, str]:
        """The texts with these ids (with those read before): those this process keeps
        (``_kept_texts``) taken from there, the others read and kept."""
        texts = self._texts
        fresh = {pk for pk in text_ids if pk not in texts}
        if not fresh:
            return texts
        if not self._looked_up:
            self._kept, self._looked_up = _kept_texts(), True
        kept = self._kept
        if kept is not None:
            # ``get``: another thread of the process may start the kept texts again meanwhile.
            known = {pk: text for pk in fresh if (text := kept.get(pk)) is not None}
            texts.update(known)
            fresh.difference_update(known)
        if fresh:
            quote = connection.ops.quote_name
            table = quote(NameText._meta.db_table)
            condition, params = _FormsIn(NameText, list(fresh)).as_sql(None, connection)
            # Only our own table and column names and placeholders: the ids are parameters.
            columns = f"{table}.{quote('id')}, {table}.{quote('normalised')}"
            sql = f"SELECT {columns} FROM {table} WHERE {condition}"  # noqa: S608  # nosec B608
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                read = dict(cursor.fetchall())
            texts.update(read)
            if kept is not None:
                if len(kept) + len(read) > _KEPT_TEXTS_MAX:
                    kept.clear()
                kept.update(read)
        return texts


#: The texts (``NameText``) read by id, kept by each process per database while the texts'
#: generation (``name_index.TEXTS_GENERATION``, bumped after a commit that deleted texts) is
#: the one they were read under: ``(generation, texts by id)``. A text never changes and its
#: id never names another (ids are not reused), so a kept text is the one the id names for as
#: long as it is stored; a deleted one (a purge's prune, a rebuild) is dropped with its
#: generation. Reading ~200-240 texts by id was ~0.5 ms of a search at 100k (SQLite).
_KEPT_TEXTS: dict[str, tuple[int, dict[int, str]]] = {}
#: Texts kept at most per database (45,651 at 100k persons): then they start again.
_KEPT_TEXTS_MAX = 200_000


def _kept_texts() -> dict[int, str] | None:
    """The texts this process keeps for the connection's database (``_KEPT_TEXTS``) under the
    texts' generation now; None inside a transaction — there a text read may be one the
    transaction added and may roll back (on SQLite its id is then given again), so nothing
    is kept or taken from what is kept."""
    if connection.in_atomic_block:
        return None
    generation = generations.current(TEXTS_GENERATION)
    found = _KEPT_TEXTS.get(connection.alias)
    if found is None or found[0] != generation:
        found = _KEPT_TEXTS[connection.alias] = (generation, {})
    return found[1]


def _group_end(keyed: list[tuple[int, int, float, int, int]], at: int) -> int:
    """Where the (tier, words matched, similarity) group of the form before ``at`` ends in
    ``keyed`` (``_load``)."""
    if at >= len(keyed):
        return len(keyed)
    group = keyed[at - 1][:3]
    while at < len(keyed) and keyed[at][:3] == group:
        at += 1
    return at


def _first_persons(forms: list[_Form], limit: int) -> list[_Form]:
    """The best form of each of the first ``limit`` persons, in the forms' order."""
    chosen: dict[Any, _Form] = {}
    for form in forms:
        if form.person_id not in chosen:
            if len(chosen) >= limit:
                break
            chosen[form.person_id] = form
    return list(chosen.values())


def _visible_forms(user: User | None, ids: list[int]) -> dict[int, _Loaded]:
    """The forms with these ids that ``user`` may see (``_allowed``), by id."""
    sql, params = _checked(user, ids, ("pk", "person_id", "text", "normalised"))
    return _read_rows(sql, params)


#: Statements of forms checked against the policy (``_checked``), kept per check signature,
#: connection and columns: (SQL, parameters, where the ids go among them).
_CHECKED: dict[tuple[Any, ...], tuple[str, tuple[Any, ...], int]] = {}
#: Signatures kept at most (a process serving many users and grants): then they start again.
_CHECKED_KEPT = 1_000
#: The ids a statement is compiled with, to find where a search's ids go.
_MARK = [-7, -11, -13]


def _checked(user: User | None, ids: list[int], columns: tuple[str, ...]) -> tuple[str, Any]:
    """The statement reading ``columns`` of the forms with these ids that ``user`` may see
    (``_allowed``), and its parameters.

    The ORM built and compiled the policy's statement on every search (~0.3 ms of the
    process at 100k), though its text and every parameter but the ids depend only on the
    policy's check signature (``check_signature``: role, user and grants as read, by which
    the probes keep their own SQL) and the connection: it is compiled once per signature
    with marked ids (``_MARK``), and a search puts its ids in their place — the same SQL and
    parameters as compiling it anew (the ids are one value, ``_forms_in``).
    """
    signature = check_signature(user) if user is not None else None
    if signature is None:
        query = _allowed(user, NameForm.objects.filter(_forms_in(ids))).values_list(*columns)
        return query.query.get_compiler(using=query.db).as_sql()
    key = (signature, connection.alias, columns)
    found = _CHECKED.get(key)
    if found is None:
        query = _allowed(user, NameForm.objects.filter(_forms_in(_MARK))).values_list(*columns)
        sql, params = query.query.get_compiler(using=query.db).as_sql()
        marked = _ids_value(_MARK)
        places = [at for at, value in enumerate(params) if value == marked]
        if len(places) != 1:  # never: the ids are one value, and no check's value is theirs
            query = _allowed(user, NameForm.objects.filter(_forms_in(ids))).values_list(*columns)
            return query.query.get_compiler(using=query.db).as_sql()
        if len(_CHECKED) >= _CHECKED_KEPT:
            _CHECKED.clear()
        found = _CHECKED[key] = (sql, tuple(params), places[0])
    sql, kept, at = found
    params = list(kept)
    params[at] = _ids_value(ids)
    return sql, params


def _ids_value(ids: list[int]) -> Any:
    """The one parameter ``_forms_in`` makes of these ids."""
    _sql, params = _forms_in(ids).as_sql(None, connection)
    return params[0]


def _forms(ids: list[int]) -> dict[int, _Loaded]:
    """The forms with these ids, read without the policy's checks: only to order them, the
    checks to come (``_Loads.check``). The statement is written here: the ORM's queryset,
    compiled, cost more than half the database's work on up to 500 forms (~0.5 ms)."""
    quote = connection.ops.quote_name
    table = quote(NameForm._meta.db_table)
    columns = ", ".join(f"{table}.{quote(column)}" for column in _FORM_COLUMNS)
    if connection.vendor == "postgresql":
        # The ids' array joined to the forms (one index probe an id) costs the cluster ~16 %
        # less than ``id = ANY(…)`` for 500 forms; the same rows (the ids are distinct).
        ids_array = "unnest(%s::bigint[]) AS wanted (id)"
        key = quote("id")  # the first of ``_FORM_COLUMNS``
        sql = f"SELECT {columns} FROM {ids_array} JOIN {table} ON {table}.{key} = wanted.id"  # noqa: S608  # nosec B608
        return _read_rows(sql, [[int(pk) for pk in ids]])
    condition, params = _forms_in(ids).as_sql(None, connection)
    # Only our own table, column names and placeholders: the ids are parameters.
    sql = f"SELECT {columns} FROM {table} WHERE {condition}"  # noqa: S608  # nosec B608
    return _read_rows(sql, params)


#: The columns of a form read for the ranking: id, person, text, normalised.
_FORM_COLUMNS = ("id", "person_id", "text", "normalised")
_PERSON_ID = NameForm._meta.get_field("person").target_field
_HEX = re.compile("[0-9a-f]{32}")


def _read_rows(sql: str, params: Any) -> dict[int, _Loaded]:
    """Forms by id from a statement reading (id, person, text, normalised), each person's
    key (``_person_key``) worked out once: Django's converters would build a person's id for
    each of up to 500 forms (two a form with the name's id, which the ranking never needs)."""
    keys: dict[Any, _PersonKey] = {}
    found: dict[int, _Loaded] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pk, raw, text, normalised in cursor.fetchall():
            key = keys.get(raw)
            if key is None:
                key = keys[raw] = _person_key(raw)
            found[pk] = (key, text, normalised)
    return found


def _person_key(raw: Any) -> _PersonKey:
    """A person's id as read, as a value that orders as the ids do and is built once per
    person: a UUID as it is (where the database has a UUID type); else its 32 lowercase hex
    digits (zero-padded: they order as the UUID's number, by which UUIDs compare), as Django
    writes them, without building the UUID (~250 a search at 100k; ``_person_id``
    builds those of the forms returned)."""
    if isinstance(raw, uuid.UUID) or (isinstance(raw, str) and _HEX.fullmatch(raw)):
        return raw
    return str(_PERSON_ID.to_python(raw).hex)


def _person_id(key: _PersonKey) -> Any:
    """The id of the person whose key (``_person_key``) this is: built only for the persons a
    search returns (~50 of up to 500 forms read)."""
    return _PERSON_ID.to_python(key)


def _visible_ids(user: User | None, ids: list[int]) -> set[int]:
    """Of the forms with these ids, those ``user`` may see (``_allowed``): the policy's checks of
    forms read before (a form's id never changes its person, name or text: the index writes a
    changed name's forms anew)."""
    sql, params = _checked(user, ids, ("pk",))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk for (pk,) in cursor.fetchall()}


def _allowed(user: User | None, forms: QuerySet[NameForm]) -> QuerySet[NameForm]:
    """The forms whose person (and stored name) ``user`` may view.

    One query with the forms (the policy's checks as ``EXISTS`` probes by key) instead of a
    query per model and batch: the same forms, a third of the queries. The probes are the
    policy's own (``visible_reference``: the rows ``restrict`` leaves, by key), whose SQL it
    builds once per process and grants, not on every search (~2 ms a search).
    """
    if user is None:
        return forms
    person = visible_reference(user, Person, "person_id")
    name = visible_reference(user, PersonName, "name_id")
    return forms.filter(person).filter(Q(name_id__isnull=True) | name)


def _forms_in(ids: list[int]) -> KeysAny:
    """The forms with these ids: up to 500 integers as one value (on PostgreSQL one array, on
    SQLite one JSON array, ``_FormsIn``): the forms' read and the policy's check are then one
    statement each whatever the number of forms, prepared once a connection (on PostgreSQL
    without planning the list), one value bound instead of hundreds."""
    return _FormsIn(NameForm, [int(pk) for pk in ids])


class _FormsIn(KeysAny):
    """``KeysAny`` (one array on PostgreSQL), and on SQLite the ids as one JSON array read by
    ``json_each``: the rows of ``id IN (…)`` with a placeholder an id, each looked up by its
    key, with one statement text whatever their number. Only integers are written."""

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        if connection.vendor != "sqlite":
            return super().as_sql(compiler, connection)
        listed = json.dumps([int(pk) for pk in self.keys])
        # Our own table and column, quoted; the ids are the one parameter.
        sql = f"{key_column(self.model, connection)} IN (SELECT value FROM json_each(%s))"  # noqa: S608  # nosec B608
        return sql, (listed,)


#: Where a form not in ``_seen`` comes: before every form in it (the ids then decide).
_FIRST = -1


def _seen(tokens: list[QueryToken], rows: _Rows) -> dict[int, int]:
    """Where each form first comes in the rows one statement over every key gives: the order
    that decides between forms of equal rank (which of them the first ``FORM_CAP`` keep).

    SQLite reads ``key IN (…) OR range OR range…`` term by term (a MULTI-INDEX OR), each in
    the key index's order (key, then form), skipping rows an earlier term gave: a form comes
    at its least (term, key) — here that pair's place among the rows' distinct pairs, worked
    out once per key (a few dozen keys for ~1,300 rows at 100k). PostgreSQL's bitmap scan
    gives rows in the table's order, which is the forms' for keys written with their forms:
    no position, the form's id decides.
    """
    if connection.vendor != "sqlite":
        return {}
    listed = set().union(*(t.exact | t.near for t in tokens))
    prefixes = [t.prefix for t in tokens if t.prefix]
    pairs = {
        key: (0 if key in listed else _range_term(key, prefixes), key)
        for key in {key for _, key in rows}
    }
    places = {key: at for at, key in enumerate(sorted(pairs, key=pairs.__getitem__))}
    seen: dict[int, int] = {}
    for form_id, key in rows:
        at = places[key]
        if at < seen.get(form_id, _LAST):
            seen[form_id] = at
    return seen


def _range_term(key: str, prefixes: list[str]) -> int:
    """The first prefix range (counted from 1) that holds ``key``."""
    return next((i for i, p in enumerate(prefixes, 1) if p <= key < p + _TOP), len(prefixes) + 1)


_LAST = 1 << 62


def _qualifying(tokens: list[QueryToken], rows: _Rows) -> dict[int, tuple[int, int]]:
    """Forms every required word matched, with their (tier, minus the strength summed)."""
    found: dict[int, tuple[int, int]] = {}
    ranks: dict[tuple[int, ...], tuple[int, int] | None] = {}  # few distinct strengths
    for form_id, strength in _strengths(tokens, rows).items():
        if strength not in ranks:
            tier = _tier(tokens, strength)
            ranks[strength] = None if tier is None else (tier, -sum(strength))
        rank = ranks[strength]
        if rank is not None:
            found[form_id] = rank
    return found


class _Reads:
    """The key rows of a query's words, read in one step or two (see ``_ranked``).

    Every qualifying form has a key of each required word (a word that is not a given name):
    rows of the other words are read only for forms that have one (the holders), which keeps
    every such form's rows (a given name alone matches thousands of forms that lack the
    surname). When the required words' own keys hold at least ``NEAR_AFTER`` rows, the first
    step leaves out their skeletons one edit away and the other words' rows of the forms
    found only by those (``partial``); ``rest`` then reads them.

    The statements are written here, not by the ORM: compiling the same few hundred keys in
    several places of one statement cost Django more than the database's work on them.

    The first step's statement reads the required words' own rows (and the near rows while
    those are few); the other words' rows of the forms found and, on SQLite, those forms'
    rows under the near keys are worked out from the forms' texts (``_first_by_texts``,
    ``_by_texts``), which the ranking reads anyway (``named``): the same rows.
    """

    def __init__(self, tokens: list[QueryToken]) -> None:
        required = [t for t in tokens if not t.given]
        # With no required word, a single word is the one the near keys would add to; with
        # several given names, a near key of one may add to a form another word found.
        split = required or (tokens if len(tokens) == 1 else [])
        self._tokens = tokens
        self._split = split
        self._others = [t for t in tokens if t not in split] if required else []
        self._near_keys: set[str] = set().union(*(t.near for t in split))
        self._rows: _Rows = []
        self.partial = False
        #: The id of the normalised text of each form read (``_select``, ``NameText``).
        self.texts: dict[int, int] = {}
        #: The texts read by id (``_Texts``): those of the holders when the other words' rows
        #: are worked out from them (``_held_by_texts``), then of the forms kept.
        self.named = _Texts(self.texts)

    def first(self) -> _Rows:
        """The rows of the first step; ``partial`` tells whether near keys were left out."""
        if not self._split:
            return _select(_terms(self._tokens, near=True), texts=self.texts)
        own = _terms(self._split, near=False)
        if not self._near_keys:  # nothing to leave out (an empty term would cost a scan)
            held, holders = self._held(own)
            self._rows = _select(own, holders, held, self.texts, self.named)
            return self._rows
        found = self._first_by_texts(own)
        if found is not None:
            self._rows = found
            self._partial()
            return self._rows
        near = _Sql.keys(self._near_keys)
        # The near keys only while the required words' own keys have fewer rows.
        nth = _Sql.rows(own, "1", f"LIMIT 1 OFFSET {NEAR_AFTER - 1}")
        few = _Sql(f"NOT EXISTS ({nth.sql})", nth.params)
        near_few = near.both(few)
        held, holders = self._held([*own, near_few])
        if connection.vendor == "sqlite":
            # Else every row of the forms with an own key (where they first come counts:
            # ``_seen``). One term for both: the index is searched for each near key once, not
            # twice, and the rows are those of the two terms (all near rows, or those of the
            # own keys' forms) in the same order.
            mine = _Sql.rows(own, "form_id")
            either = _Sql(f"({few.sql} OR form_id + 0 IN ({mine.sql}))", few.params + mine.params)
            self._rows = _select([*own, near.both(either)], holders, held, self.texts, self.named)
        else:
            # PostgreSQL: when the own keys are many, not the near rows of their forms either.
            # The step is then partial (its own rows are those ``few`` counted), and of it only
            # the KEYED forms count: no near row changes their rank (each required word matched
            # by an own key already; another word's keys on these forms are the held terms',
            # the holders holding every own key's form), ``_seen`` reads no places here, and
            # ``rest`` reads every near row. At 100k that term read a surname's 1,000–1,500
            # near rows to keep none of them.
            self._rows = _select([*own, near_few], holders, held, self.texts, self.named)
        self._partial()
        return self._rows

    def _first_by_texts(self, own: list[_Sql]) -> _Rows | None:
        """The rows of the first step as ``first`` reads them, read as the required words' own
        rows and, while those are fewer than ``NEAR_AFTER``, every near row (the near keys
        then looked up; else not one of them), with the rest worked out from the forms'
        texts (``_by_texts``): the other words' rows of these forms and, on SQLite, when the
        own rows are many, these forms' near rows (``_seen``). None: read them as before
        (``ROW_CAP``, or a text that cannot stand for its form's keys)."""
        nth = _Sql.rows(own, "1", f"LIMIT 1 OFFSET {NEAR_AFTER - 1}")
        few = _Sql(f"NOT EXISTS ({nth.sql})", nth.params)
        sqlite = connection.vendor == "sqlite"
        # On SQLite the condition inside the keys' list: when it fails, no near key is looked
        # up (outside it, each of ~100-125 was, to find its rows and drop them).
        near_few = _Sql.keys(self._near_keys, few)
        read = _fetch(_Sql.rows([*own, near_few], "form_id, key, text_id", f"LIMIT {ROW_CAP}"))
        if len(read) >= ROW_CAP:
            return None
        near: frozenset[str] | None = None
        if sqlite:
            # Every near row was read while the own rows are few (``few``, as it counted them);
            # else those of the own rows' forms come from their texts.
            counts = _matcher(self._split)
            by_key = Counter(map(itemgetter(1), read))
            if sum(n for key, n in by_key.items() if counts(key)) >= NEAR_AFTER:
                near = frozenset(self._near_keys)
        held = _Held.of(self._others) if self._others else None
        return _by_texts(read, held, near, self.texts, self.named)

    def _partial(self) -> None:
        """Whether the first step's rows left near keys out (``partial``)."""
        counts = _matcher(self._split)
        # Each distinct key asked about once (a few dozen for ~1,300 rows at 100k).
        rows_by_key = Counter(map(itemgetter(1), self._rows))
        self.partial = len(self._rows) >= ROW_CAP or (
            sum(n for key, n in rows_by_key.items() if counts(key)) >= NEAR_AFTER
        )

    def rest(self) -> _Rows:
        """Every row: those of the first step and those it left out."""
        near = _Sql.keys(self._near_keys)
        held, holders = self._held([near])
        return self._rows + _select([near], holders, held, self.texts, self.named)

    def _held(self, holding: list[_Sql]) -> tuple[_Held | None, _Sql | None]:
        """The other words' rows of the forms with a row under ``holding`` (``_Held``), and
        the statement reading those forms (``holders``, for ``_select``)."""
        if not self._others:
            return None, None
        return _Held.of(self._others), _Sql.rows(holding, "form_id")


@dataclass(frozen=True)
class _Held:
    """The rows of some words' keys (their keys, skeletons one edit away and prefixes: the
    terms ``_terms`` gives) of the forms ``holders`` names, read as the rows of the stored
    tokens giving those keys (``NameToken``) and worked out from them (``rows``).

    A form's keys are its tokens' keys (``spelling.form_keys``), so a form has a key exactly
    when it has a token giving it: the same rows, read as one row a form and token instead of
    one a key — a given name's skeleton, id and token, three rows of every form with that name,
    are one (at 100k a common given name's ~13,700 rows of ~4,600 forms checked against the
    surname's forms, of which 60 kept). The rows come out as the terms gave them: on
    PostgreSQL, where each term was its own scan joined by ``UNION ALL``, a row once a term it
    is under; on SQLite, whose OR of terms gives a row once, once and not again when another
    term of the statement gave it.
    """

    terms: list[_Sql]
    listed: frozenset[str]
    prefixes: tuple[str, ...]

    @staticmethod
    def of(tokens: list[QueryToken]) -> _Held:
        return _Held(
            _terms(tokens, near=True),
            frozenset().union(*(t.exact | t.near for t in tokens)),
            tuple(t.prefix for t in tokens if t.prefix),
        )

    def select(self) -> _Sql:
        """A statement reading (form id, token's key, 1, 0) of the holders' forms' rows under a
        token giving a key of these terms (a statement of ``_select``'s; no text id: each
        holder's comes with its own rows)."""
        quote = connection.ops.quote_name
        table = quote(NameKey._meta.db_table)
        vocabulary = quote(NameToken._meta.db_table)
        # Each term its own lookup of the vocabulary's key index.
        found = " UNION ".join(
            f"SELECT token FROM {vocabulary} WHERE {term.sql}"  # noqa: S608  # nosec B608
            for term in self.terms
        )
        params = [p for term in self.terms for p in term.params]
        if connection.vendor == "sqlite":
            # The form id plus nothing keeps SQLite on the key index for these rows, checking
            # each against the holders read once.
            tokens, holder = f"key IN ({found})", "form_id + 0"
        else:
            tokens, holder = f"key = ANY(ARRAY({found})::varchar[])", "form_id"
        # Only our own table and column names and placeholders: the keys are parameters.
        sql = (
            f"SELECT form_id, key, 1, 0 FROM {table} WHERE {tokens}"  # noqa: S608  # nosec B608
            f" AND {holder} IN (SELECT form_id FROM holders)"
        )
        return _Sql(sql, params)

    def rows(self, tokens: _Rows, others: _Rows) -> _Rows:
        """The key rows of these (form id, token's key) rows under the terms, given the
        ``others`` the statement read under its other terms (on SQLite a row once in all)."""
        counts: dict[str, list[tuple[str, int]]] = {}
        found: set[tuple[int, str]] = set()
        for form_id, token in tokens:
            keys = counts.get(token)
            if keys is None:
                keys = counts[token] = self._keys(token)
            found.update((form_id, key) for key, _ in keys)
        if connection.vendor == "sqlite":
            found.difference_update(others)
            return sorted(found)
        times = {key: n for keys in counts.values() for key, n in keys}
        return [row for row in sorted(found) for _ in range(times[row[1]])]

    def finds(self, token: str, sqlite: bool) -> bool:
        """Whether the terms find this stored token's key row (``select``: a key of it under
        a term)."""
        return bool(self._keys(token, sqlite))

    def _keys(self, token: str, sqlite: bool | None = None) -> list[tuple[str, int]]:
        """The keys this token's key row stands for under the terms, each with the number of
        terms it is under (on SQLite a range leaves out its prefix, which is listed)."""
        if sqlite is None:
            sqlite = connection.vendor == "sqlite"
        found = []
        for key in {key[:KEY_LENGTH] for key in token_keys(token[2:])}:
            if sqlite:
                under = key in self.listed or any(p < key < p + _TOP for p in self.prefixes)
                times = int(under)
            else:
                times = (key in self.listed) + sum(p <= key < p + _TOP for p in self.prefixes)
            if times:
                found.append((key, times))
        return found


@dataclass(frozen=True)
class _Sql:
    """A condition on the key table's rows and its parameters; ``source``: a statement whose
    (form id, key) rows the condition is on instead of the key table's."""

    sql: str
    params: list[Any]  # keys (str); on PostgreSQL a list of keys is one value (``keys``)
    source: _Sql | None = None

    @staticmethod
    def keys(keys: set[str], only: _Sql | None = None) -> _Sql:
        """Rows under any of these keys, the keys as one value: on PostgreSQL an array, on
        SQLite a JSON array read by ``json_each`` (the same rows in the same order as a
        placeholder a key: the index is searched for each distinct key in the keys' order).
        The statement's text then depends on the query's shape (its words, their prefixes),
        not on how many keys each word has one edit away: one prepared statement — and on
        PostgreSQL one kept plan — serves every query of that shape, a real mix of names and
        not only one name repeated; and one value is bound instead of 50–450.

        ``only``: an uncorrelated condition the rows must also meet (``… AND only``); on SQLite
        it is asked inside the list, so that when it fails no key is looked up."""
        if not keys:
            # Never a term of an OR: SQLite would scan the whole table for it.
            return _Sql("0 = 1", [])
        if connection.vendor == "postgresql":
            term = _Sql("key = ANY(%s::varchar[])", [sorted(keys)])
            return term if only is None else term.both(only)
        listed = json.dumps(sorted(keys), ensure_ascii=False)
        if only is None:
            return _Sql("key IN (SELECT value FROM json_each(%s))", [listed])
        # ``only`` (uncorrelated) in the list: when it fails the list is empty, no key is
        # looked up; the same rows as ``key IN (…) AND only``.
        # Only our own SQL and placeholders: the keys and the condition's values are parameters.
        sql = f"key IN (SELECT value FROM json_each(%s) WHERE {only.sql})"  # noqa: S608  # nosec B608
        return _Sql(sql, [listed, *only.params])

    @staticmethod
    def any(terms: list[_Sql]) -> _Sql:
        return _Sql(" OR ".join(f"({t.sql})" for t in terms), [p for t in terms for p in t.params])

    def both(self, other: _Sql) -> _Sql:
        return _Sql(f"({self.sql}) AND {other.sql}", self.params + other.params)

    def select(self, columns: str, tail: str = "") -> _Sql:
        """A statement reading ``columns`` of the key rows under this condition."""
        if self.source is None:
            table = connection.ops.quote_name(NameKey._meta.db_table)
            params = self.params
        else:
            table = f"({self.source.sql}) AS held"
            params = self.source.params + self.params
        # Only our own column names, placeholders and integers: the keys are parameters.
        sql = f"SELECT {columns} FROM {table} WHERE {self.sql} {tail}"  # noqa: S608  # nosec B608
        return _Sql(sql.rstrip(), params)

    @staticmethod
    def rows(terms: list[_Sql], columns: str, tail: str = "") -> _Sql:
        """A statement reading ``columns`` of the key rows under any of these terms.

        SQLite answers an OR of terms from the key index term by term (a MULTI-INDEX OR).
        PostgreSQL turns it into one bitmap scan that visits the table for every row of every
        term, then filters: there, each term is a statement of its own (an index-only scan of
        the covering index for a list of keys), the statements joined by UNION ALL (a row
        under two terms comes twice, which changes no form's strength or first place).
        """
        if connection.vendor == "sqlite":
            return _Sql.any(terms).select(columns, tail)
        parts = [term.select(columns) for term in terms]
        sql = " UNION ALL ".join(part.sql for part in parts)
        return _Sql(f"{sql} {tail}".rstrip(), [p for part in parts for p in part.params])


def _terms(tokens: list[QueryToken], *, near: bool) -> list[_Sql]:
    """The keys of these words (and their skeletons one edit away, when ``near``) as the
    terms of an OR: the keys, then the range of each word's prefix."""
    keys = set().union(*(t.exact | t.near if near else t.exact for t in tokens))
    return [_Sql.keys(keys)] + [_prefix(t.prefix) for t in tokens if t.prefix]


def _select(
    terms: list[_Sql],
    holders: _Sql | None = None,
    held: _Held | None = None,
    texts: dict[int, int] | None = None,
    named: _Texts | None = None,
) -> _Rows:
    """(form id, key) rows under any of these terms, and ``held``'s rows of the forms
    ``holders`` reads (read once for all of them: a common table expression used more than
    once is materialised by SQLite and PostgreSQL alike; written into each term, it was read
    again for each: ~0.4 ms a two-word search at 100k). The id of each row's form's normalised
    text (``NameKey.text_id``, read from the key index with the row) goes into ``texts``."""
    if texts is None:
        texts = {}
    if holders is None or held is None:
        statement = _Sql.rows(terms, "form_id, key, text_id", f"LIMIT {ROW_CAP}")
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, statement.params)
            read = cursor.fetchall()
        texts.update({form_id: text for form_id, _key, text in read})
        return [(form_id, key) for form_id, key, _text in read]
    if named is not None:
        found = _held_by_texts(terms, held, texts, named)
        if found is not None:
            return found
    # The held rows last, marked: they are tokens' rows, worked out into key rows (``_Held``).
    rows = _Sql.rows(terms, "form_id, key, 0, text_id")
    tokens = held.select()
    sql = (
        f"WITH holders (form_id) AS ({holders.sql}) "
        f"{rows.sql} UNION ALL {tokens.sql} LIMIT {ROW_CAP}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, holders.params + rows.params + tokens.params)
        read = cursor.fetchall()
    own = [row for row in read if not row[2]]
    # The held rows' forms are the holders, each with a row of its own here: their text ids
    # come from those (the held rows carry none, ``_Held.select``).
    texts.update({form_id: text for form_id, _key, _marked, text in own})
    mine = [(form_id, key) for form_id, key, _marked, _text in own]
    return mine + held.rows([(form_id, key) for form_id, key, marked, _ in read if marked], mine)


def _fetch(statement: _Sql) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        return cursor.fetchall()


def _held_by_texts(
    terms: list[_Sql], held: _Held, texts: dict[int, int], named: _Texts
) -> _Rows | None:
    """The rows ``_select`` reads under ``terms`` and ``held``'s rows of the forms they name
    (the holders: every form with a row under ``terms``, ``_Reads._held``), the held rows
    worked out from the holders' texts (``_by_texts``); None: read them instead."""
    read = _fetch(_Sql.rows(terms, "form_id, key, text_id", f"LIMIT {ROW_CAP}"))
    if len(read) >= ROW_CAP:
        return None
    return _by_texts(read, held, None, texts, named)


def _by_texts(
    read: list[tuple[int, str, int]],
    held: _Held | None,
    near: frozenset[str] | None,
    texts: dict[int, int],
    named: _Texts,
) -> _Rows | None:
    """The (form id, key) rows ``read`` (with each form's text id), and the rows of the same
    forms that a statement would have read with them — ``held``'s rows (the other words',
    ``_Held.rows``) and, given ``near``, the rows of these forms under those keys — worked out
    from the forms' normalised texts instead of read: a form's keys are its tokens' keys
    (``spelling.form_keys``), and its tokens are the words of its normalised text
    (``NameText``, read by id: ``_Texts``, which keeps them for the forms' ranking). The same
    rows as reading them: the near rows once each and none a form already has in ``read``
    (SQLite's OR of terms gives a row once), the held rows as ``_Held.rows`` gives them from
    the (form, token) rows a statement would read. At 100k a surname's ~1,000 forms have
    almost no row under its ~100–125 keys one edit away, whose lookups cost more than half of
    the key statement (SQLite), and a two-word search's ~4,600 rows of a common given name's
    tokens hold a few dozen of those forms; neither is read. None (read them instead) when a
    text cannot stand for its form's keys (cut to the stored length, a token longer than a
    key, a text gone) or when the rows would pass ``ROW_CAP``, which cuts them where the
    statement's order decides.
    """
    ids = {form_id: text for form_id, _key, text in read}
    texts.update(ids)
    mine = [(form_id, key) for form_id, key, _text in read]
    if held is None and not near:
        return mine
    text_ids = set(ids.values())
    if 0 in text_ids or None in text_ids:
        named.name_unnamed(list(ids))
        text_ids = {texts[pk] for pk in ids}
    text_of = named.read(text_ids)
    sqlite = connection.vendor == "sqlite"
    # Per text with any, the stored tokens (key rows ``t:…``) the held terms find and its keys
    # under ``near``; per word, the same (the texts share few words; most have neither).
    of_text: dict[int, tuple[list[str], list[str]]] = {}
    of_word: dict[str, tuple[bool, frozenset[str]] | None] = {}
    for text_id in text_ids:
        normalised = text_of.get(text_id)
        if normalised is None or len(normalised) >= _TEXT_LENGTH:
            return None
        words = normalised.split()
        if len(normalised) > KEY_LENGTH - 2 and max(map(len, words)) > KEY_LENGTH - 2:
            return None
        held_tokens: list[str] = []
        near_keys: set[str] = set()
        for word in words:
            if word in of_word:
                known = of_word[word]
            else:
                finds = held is not None and held.finds("t:" + word, sqlite)
                stored = {key[:KEY_LENGTH] for key in token_keys(word)} & near if near else set()
                known = of_word[word] = (finds, frozenset(stored)) if finds or stored else None
            if known is not None:
                if known[0] and "t:" + word not in held_tokens:
                    held_tokens.append("t:" + word)
                near_keys.update(known[1])
        if held_tokens or near_keys:
            of_text[text_id] = (held_tokens, sorted(near_keys))
    tokens: _Rows = []
    extra: _Rows = []
    if of_text:
        have: set[tuple[int, str]] | None = None
        for form_id, text_id in ids.items():
            found = of_text.get(text_id)
            if found is None:
                continue
            for token in found[0]:
                tokens.append((form_id, token))
            if found[1]:
                if have is None:
                    have = set(mine)
                for key in found[1]:
                    if (form_id, key) not in have:
                        extra.append((form_id, key))
    if len(mine) + len(extra) + len(tokens) > ROW_CAP:
        return None
    mine += extra
    return mine if held is None else mine + held.rows(tokens, mine)


#: The stored length of a form's normalised text (``NameForm.normalised``, ``name_index``): a
#: text this long may be cut, its words not all the form's tokens.
_TEXT_LENGTH = NameForm._meta.get_field("normalised").max_length or 0


def _key_rows(tokens: list[QueryToken], texts: dict[int, int] | None = None) -> _Rows:
    """(form id, key) rows under any key of any of these words, in one read (their forms'
    text ids into ``texts``, ``_select``)."""
    return _select(_terms(tokens, near=True), texts=texts)


def _prefix(prefix: str) -> _Sql:
    """Keys starting with ``prefix``, as a range the key index answers on every backend.

    On SQLite the range leaves out the key ``prefix`` itself: it is the word's own token
    (``QueryToken.prefix``), which the keys' term before it reads, and an OR of terms gives
    each row once, in the same order, either way (a MULTI-INDEX OR skips rows an earlier term
    gave) — without reading the rows of a common given name's token twice (~0.4 ms a
    two-word search at 100k).
    """
    if connection.vendor == "sqlite":
        # SQLite's LIKE ignores the index under its default collation; a range does not.
        return _Sql("key > %s AND key < %s", [prefix, prefix + _TOP])
    # PostgreSQL: the same range in the byte order of the prefix index (``varchar_pattern_ops``:
    # its operators ``~>=~`` and ``~<~``), which it answers whatever the prefix, so that a kept
    # (generic) plan of the prepared statement reads the index; ``LIKE`` with a parameter can
    # use the index only in a plan made for that parameter's value, planned on every search.
    return _Sql("key ~>=~ %s AND key ~<~ %s", [prefix, prefix + _TOP])


def _matcher(tokens: list[QueryToken]) -> Callable[[str], bool]:
    """Whether a key is one of these words' own keys (``_terms`` without near keys)."""
    keys = set().union(*(t.exact for t in tokens))
    prefixes = [t.prefix for t in tokens if t.prefix]
    if connection.vendor == "sqlite":
        return lambda key: key in keys or any(p <= key < p + _TOP for p in prefixes)
    return lambda key: key in keys or any(key.startswith(p) for p in prefixes)


_TOP = "\U0010ffff"


def _strengths(tokens: list[QueryToken], rows: _Rows) -> dict[int, tuple[int, ...]]:
    """Per form, how well each query word matched it: STRONG, WEAK or 0.

    A page of key rows holds few distinct keys: each key's levels are worked out once, and a
    form's are the highest of its keys' (forms in the order the rows first name them).
    """
    levels: dict[str, tuple[int, ...]] = {}
    found: dict[int, tuple[int, ...]] = {}
    for form_id, key in rows:
        level = levels.get(key)
        if level is None:
            level = levels[key] = _key_levels(tokens, key)
        current = found.get(form_id)
        if current is None:
            found[form_id] = level
        elif current != level:
            found[form_id] = tuple(map(max, current, level))
    return found


def _key_levels(tokens: list[QueryToken], key: str) -> tuple[int, ...]:
    """How well one stored key matches each query word: STRONG, WEAK or 0."""
    found = []
    for token in tokens:
        level = STRONG if key in token.exact else WEAK if key in token.near else 0
        prefix = token.prefix
        if level < STRONG and prefix and key.startswith("t:") and key.startswith(prefix):
            level = STRONG
        found.append(level)
    return tuple(found)


def _tier(tokens: list[QueryToken], strength: tuple[int, ...]) -> int | None:
    """KEYED when every word that is not a given name matched, NEAR when only nearly; else None.

    Given names and patronymics may be missing from a stored name (a surname alone, no
    patronymic); when the query has nothing else, one of them must match.
    """
    required = [i for i, t in enumerate(tokens) if not t.given]
    if not required:
        top = max(strength)
        return None if top == 0 else (KEYED if top == STRONG else NEAR)
    levels = [strength[i] for i in required]
    if min(levels) == 0:
        return None
    return KEYED if min(levels) == STRONG else NEAR
