"""The write side of the name index: every live name of every live person, with its keys."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import Exists, OuterRef, Q

from vigil.core import generations
from vigil.core.chunks import chunked
from vigil.core.statements import Statement
from vigil.names import normalise
from vigil.records.batch import insert_plain, new_record, next_ids
from vigil.records.models import Person, PersonName
from vigil.search.models import NameForm, NameKey, NameText, NameToken
from vigil.search.spelling import KEY_LENGTH, form_keys, token_keys

#: Persons read, keyed and written per batch when rebuilding.
BATCH = 2000
#: The generation (``vigil.core.generations``) of the texts (``NameText``) as the name search
#: keeps them in each process (``name_search._Texts``): bumped after a commit that deleted texts
#: (a rebuild, ``prune_tokens``), so that no process keeps a deleted text — a purged name's
#: above all. A text id never names another text (ids are not reused: SQLite's
#: ``AUTOINCREMENT``, PostgreSQL's sequence), so texts added need no bump.
TEXTS_GENERATION = "search-name-texts"
_Form = tuple[Any, Any, str]  # person id, name id (None: the display name), text


def index_persons(
    person_ids: Iterable[Any], name_ids: Iterable[Any] = (), *, fresh: bool = False
) -> None:
    """Rebuild the forms of these persons, and drop these names' forms wherever they were.

    ``fresh``: the persons were created in this transaction and have no forms yet (nothing to
    drop; ``name_ids`` must be empty)."""
    person_ids, name_ids = set(person_ids), set(name_ids)
    if not person_ids and not name_ids:
        return
    with transaction.atomic():
        lock_for_writing()
        if not fresh or name_ids:
            stale = Q(person_id__in=person_ids) | Q(name_id__in=name_ids)
            NameForm.objects.filter(stale).delete()
        _write(_forms(person_ids))


def add_name_forms(name_ids: Iterable[Any]) -> None:
    """Write the forms of these names, created in this transaction (they have none yet): a
    live name of a live person whose spelling differs from the person's display name, as
    :func:`_forms` gives it. The person's other forms do not depend on a new name."""
    ids = list(name_ids)
    if not ids:
        return
    with transaction.atomic():
        lock_for_writing()
        names = PersonName.objects.filter(
            pk__in=ids, person__deleted_at__isnull=True
        ).values_list("pk", "person_id", "value", "person__display_name")
        _write(
            (person_id, pk, value)
            for pk, person_id, value, shown in names
            if _adds_form(value, normalise(shown) if shown else None)
        )


def rebuild(progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None) -> int:
    """Drop and rebuild the whole name index; returns the number of persons indexed.

    On PostgreSQL the rebuild first waits for the saves writing name rows and then holds them
    off until it commits (:func:`lock_for_rebuild`), and reads the persons after that: a person
    saved meanwhile is either read by the rebuild as saved or indexed again by its save once
    the rebuild is done, never left with the rows of the name it had.
    """
    with transaction.atomic():
        lock_for_rebuild()
        ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
        chunks = list(chunked(ids, BATCH))
        batches: Iterable[list[Any]] = chunks
        if progress is not None:
            batches = progress(chunks, len(chunks))
        NameKey.objects.all().delete()
        NameToken.objects.all().delete()
        NameText.objects.all().delete()
        generations.bump_after_commit(TEXTS_GENERATION)
        # Raw: ``delete()`` would load every form to cascade to the keys just deleted.
        NameForm.objects.all()._raw_delete(NameForm.objects.db)
        for batch in batches:
            _write(_forms(batch))
    return len(ids)


# One person's display name and names (a single save): read by statements compiled once per
# process and database (``vigil.core.statements``), not built by the ORM on every save.
_ONE_PERSON = Statement(
    Person,
    [Person._meta.pk],
    lambda pk: Person.objects.filter(pk__in=[pk]).values_list("pk", "display_name"),
)
_ONE_PERSONS_NAMES = Statement(
    PersonName,
    [PersonName._meta.get_field("person")],
    lambda pk: PersonName.objects.filter(person_id__in=[pk]).values_list(
        "pk", "person_id", "value"
    ),
)


def _adds_form(value: str, shown: str | None) -> bool:
    """Whether a name ``value`` adds a form beside its person's display name (``shown``,
    normalised): a name spelled as the display name adds nothing — whoever sees the person
    sees that."""
    return bool(value) and normalise(value) != shown


def _forms(person_ids: Iterable[Any]) -> Iterator[_Form]:
    """The forms of live persons: the display name and each live name that differs from it."""
    ids = list(person_ids)
    one = len(ids) == 1
    if one:
        persons = dict(_ONE_PERSON.rows(ids[0]))
    else:
        persons = dict(Person.objects.filter(pk__in=ids).values_list("pk", "display_name"))
    shown = {pk: normalise(name) for pk, name in persons.items() if name}
    for pk, name in persons.items():
        if name:
            yield pk, None, name
    if not persons:
        return
    if one:
        names: Iterable[tuple[Any, Any, str]] = _ONE_PERSONS_NAMES.rows(ids[0])
    else:
        names = PersonName.objects.filter(person_id__in=list(persons)).values_list(
            "pk", "person_id", "value"
        )
    for pk, person_id, value in names:
        if _adds_form(value, shown.get(person_id)):
            yield person_id, pk, value


def _write(forms: Iterable[_Form]) -> None:
    """Insert forms and their keys: plain inserts (``COPY`` on PostgreSQL), the forms' keys
    taken beforehand so that their keys can point at them, each key row with the id of its
    form's normalised text (``text_ids``); and the tokens not yet in the vocabulary
    (``NameToken``). A form's keys are its tokens' keys (``spelling.form_keys``)."""
    rows = [(p, n, text[:300], normalise(text)[:300]) for p, n, text in forms]
    if not rows:
        return
    ids = next_ids(NameForm, len(rows))
    insert_plain(
        [
            new_record(NameForm, id=pk, person_id=p, name_id=n, text=text, normalised=norm)
            for pk, (p, n, text, norm) in zip(ids, rows, strict=True)
        ]
    )
    texts = text_ids(norm for _, _, _, norm in rows)
    insert_plain(
        [
            new_record(NameKey, form_id=pk, key=key[:KEY_LENGTH], text_id=texts[norm])
            for pk, (_, _, text, norm) in zip(ids, rows, strict=True)
            for key in form_keys(text)
        ]
    )
    add_tokens(word for _, _, text, _ in rows for word in normalise(text).split())


def prune_tokens() -> int:
    """Drop the vocabulary's rows of every token no stored form holds, and the texts
    (``NameText``) no stored form holds; returns how many tokens' rows went.

    Saves leave such tokens and texts (a token no form holds finds no form; a text no key row
    names is never read); a purge calls this so that no word or text of a purged name stays
    in the database. In the caller's transaction. On
    PostgreSQL the key table is first locked against writers (``SHARE ROW EXCLUSIVE``:
    readers go on, and two callers take turns): a
    transaction that has just written a form with the token, and relied on the token's rows
    being there (``add_tokens`` adds only the tokens it lacks), commits before the check, and
    one that starts writing after it waits for this transaction — so no stored token ever
    loses its rows. Only a rare writer that has not itself written keys should call this:
    two transactions that have both written keys and then ask for this lock would wait for
    each other.
    """
    with transaction.atomic():
        lock_for_rebuild()
        held = NameKey.objects.filter(key=OuterRef("token"))
        tokens = NameToken.objects.exclude(Exists(held)).delete()[0]
        # Through the forms' own index on their normalised text.
        holders = NameForm.objects.filter(normalised=OuterRef("normalised"))
        if NameText.objects.exclude(Exists(holders)).delete()[0]:
            generations.bump_after_commit(TEXTS_GENERATION)
        return tokens


def lock_for_writing(*, wait: bool = True) -> bool:
    """Before a save writes search index rows (PostgreSQL; in the caller's transaction): the
    index's write lock, ``ROW EXCLUSIVE`` on the key table. Savers hold it together; a full
    rebuild and :func:`prune_tokens` wait for every saver holding it and make later ones wait
    until they commit. Taken before the save reads the rows it replaces, so that it reads them
    after a rebuild that ran meanwhile. Nothing on SQLite, where one writer writes at a time.

    ``wait=False``: False at once, nothing taken, when a rebuild holds the index (a search
    catching up leaves the replay for later rather than wait for the rebuild).
    """
    if not wait and connection.vendor == "postgresql":
        try:
            with transaction.atomic():
                _lock_keys("ROW EXCLUSIVE", nowait=True)
        except OperationalError:
            return False
        return True
    _lock_keys("ROW EXCLUSIVE")
    return True


def lock_for_rebuild() -> None:
    """Before rewriting or pruning the whole index (PostgreSQL; in the caller's transaction):
    ``SHARE ROW EXCLUSIVE`` on the key table, which waits for the savers holding
    :func:`lock_for_writing` and holds new ones off until this transaction ends; searches
    read on. Two such callers take turns. A transaction that has written index rows must not
    ask for it while another one is waiting for it: the two would wait for each other."""
    _lock_keys("SHARE ROW EXCLUSIVE")


def _lock_keys(mode: str, *, nowait: bool = False) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(NameKey._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN {mode} MODE{' NOWAIT' if nowait else ''}")


#: Tokens looked up in the vocabulary per statement.
_TOKENS_AT_ONCE = 500


def vocabulary(tokens: Iterable[str]) -> set[tuple[str, str]]:
    """The vocabulary's rows of these tokens: (the token's own key, one of its keys), as the
    key rows hold them (cut to ``KEY_LENGTH``)."""
    return {
        (("t:" + token)[:KEY_LENGTH], key[:KEY_LENGTH])
        for token in tokens
        for key in token_keys(token)
    }


def add_tokens(tokens: Iterable[str]) -> None:
    """Add the vocabulary's rows of the tokens it lacks (in the caller's transaction)."""
    rows = vocabulary(tokens)
    wanted = sorted({token for token, _ in rows})
    known: set[str] = set()
    for chunk in chunked(wanted, _TOKENS_AT_ONCE):
        known.update(NameToken.objects.filter(token__in=chunk).values_list("token", flat=True))
    fresh = [NameToken(token=token, key=key) for token, key in sorted(rows) if token not in known]
    # A token another writer has just added is skipped, not an error.
    NameToken.objects.bulk_create(fresh, batch_size=1000, ignore_conflicts=True)


#: Texts looked up at a time (``text_ids``).
_TEXTS_AT_ONCE = 500


def text_ids(texts: Iterable[str]) -> dict[str, int]:
    """The ids of these normalised texts (``NameText``), those not yet stored added (in the
    caller's transaction; the caller holds :func:`lock_for_writing`, so a prune cannot drop a
    text between its lookup here and the key rows naming it)."""
    wanted = sorted(set(texts))
    found: dict[str, int] = {}
    for chunk in chunked(wanted, _TEXTS_AT_ONCE):
        found.update(NameText.objects.filter(normalised__in=chunk).values_list("normalised", "pk"))
    fresh = [text for text in wanted if text not in found]
    if fresh:
        # A text another writer has just added is skipped, not an error, and read back.
        NameText.objects.bulk_create(
            [NameText(normalised=text) for text in fresh], batch_size=1000, ignore_conflicts=True
        )
        for chunk in chunked(fresh, _TEXTS_AT_ONCE):
            found.update(
                NameText.objects.filter(normalised__in=chunk).values_list("normalised", "pk")
            )
    return found
