"""A full rebuild of the name index (``vigil search-index``) and a save at the same time, each
on its own connection: the saved person ends indexed under the name it was saved with, never
under the one it had.

The rebuild is held after writing its first batch of persons, the one holding the person a
second connection then renames. Without the index lock the save's replacement of that
person's rows waited on the rebuild's deletion and then replaced nothing, leaving the old name
the rebuild had just written beside the new one. With it, the save waits for the rebuild to
commit and then replaces the rows the rebuild wrote; on SQLite the save waits for the write
lock as before.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection

from vigil.core.context import change_context
from vigil.records.models import Person
from vigil.search import name_index
from vigil.search.models import NameForm, NameKey
from vigil.search.rebuild import rebuild_all
from vigil.search.sync import catch_up, lag

pytestmark = pytest.mark.django_db(transaction=True)
OLD, NEW = "Fictional Rebuildova", "Fictional Renamedova"


def _texts(pk: Any) -> set[str]:
    return set(NameForm.objects.filter(person_id=pk).values_list("text", flat=True))


def _keys(pk: Any) -> set[str]:
    return set(NameKey.objects.filter(form__person_id=pk).values_list("key", flat=True))


def _wait_until_blocked(started: threading.Event) -> None:
    """Until the save waits on the rebuild (PostgreSQL: an ungranted lock), or a moment after
    it started (SQLite: it waits for the write lock)."""
    assert started.wait(10)
    if connection.vendor != "postgresql":
        time.sleep(0.3)
        return
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the save never waited on the rebuild")


def test_a_person_renamed_while_the_index_is_rebuilt_ends_under_the_new_name_only(monkeypatch):
    with change_context("test", detail="rebuild race"):
        people = [Person.objects.create(display_name=f"{OLD} {i}") for i in range(3)]
    monkeypatch.setattr(name_index, "BATCH", 1)  # one person a batch: pause between two
    first_written, release, save_started = (threading.Event() for _ in range(3))
    renamed: list[Any] = []
    errors: list[BaseException] = []

    def progress(steps: Any, total: int) -> Any:
        for i, step in enumerate(steps):
            if i == 1 and not first_written.is_set():  # the names' first batch is written
                first_written.set()
                release.wait(20)
            if i == 0 and not renamed:
                renamed.append(step[0])  # the person of the first batch
            yield step

    def rebuild() -> None:
        try:
            rebuild_all(progress)
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    def rename() -> None:
        try:
            save_started.set()
            with change_context("test", detail="rename during the rebuild"):
                person = Person.objects.get(pk=renamed[0])
                person.display_name = NEW
                person.save()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    one = threading.Thread(target=rebuild, name="rebuild")
    two = threading.Thread(target=rename, name="save")
    try:
        one.start()
        assert first_written.wait(20), errors
        # Committed so far: the person indexed by its save (the rebuild's rows are not).
        assert _texts(renamed[0]) == {_of(people, renamed[0]).display_name}
        two.start()
        _wait_until_blocked(save_started)
        release.set()
        one.join(30)
        two.join(30)
    finally:
        release.set()
    assert errors == [] and not one.is_alive() and not two.is_alive()
    target = renamed[0]
    assert _texts(target) == {NEW}
    assert "t:renamedova" in _keys(target) and "t:rebuildova" not in _keys(target)
    for p in people:  # the others as the rebuild wrote them, once each
        if p.pk != target:
            assert list(NameForm.objects.filter(person=p).values_list("text", flat=True)) == [
                p.display_name
            ]


@pytest.mark.postgres
def test_a_search_catching_up_during_a_rebuild_leaves_the_replay_for_later_without_waiting():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (VIGIL_DATABASE_URL): SQLite has one writer at a time")
    with change_context("test", detail="history to replay"):
        Person.objects.create(display_name=f"{OLD} pending")
    assert lag() > 0
    held, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def progress(steps: Any, total: int) -> Any:
        if not held.is_set():
            held.set()
            release.wait(20)
        yield from steps

    def rebuild() -> None:
        try:
            rebuild_all(progress)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    one = threading.Thread(target=rebuild, name="rebuild")
    try:
        one.start()
        assert held.wait(20), errors
        started = time.monotonic()
        assert catch_up() is False  # the rebuild holds the index: nothing replayed
        assert time.monotonic() - started < 5
        assert lag() > 0
    finally:
        release.set()
        one.join(30)
    assert errors == [] and lag() == 0  # the rebuild marked the history it read as indexed
    assert catch_up() is True


def _of(people: list[Person], pk: Any) -> Person:
    return next(p for p in people if p.pk == pk)
