"""The quick flush after transactional tests (tests/fast_flush.py) leaves the database as
Django's flush and its post_migrate receivers do: the same tables empty, the same rows back."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from tests import fast_flush
from tests.conftest import make_user

from vigil.records.models import Term

pytestmark = pytest.mark.django_db(transaction=True)


def _everything() -> dict[str, Any]:
    return fast_flush.every_row(connection)


def _by_natural_keys(state: dict[str, Any]) -> dict[str, Any]:
    """``state`` without the serial ids Django's flush hands out anew (content types and
    permissions are compared by what they name)."""
    del state["django_content_type"], state["auth_permission"]
    state["content types"] = sorted(ContentType.objects.values_list("app_label", "model"))
    state["permissions"] = sorted(
        Permission.objects.values_list("content_type__app_label", "content_type__model", "codename")
    )
    return state


def _django_flush() -> None:
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False)


def _scribble() -> None:
    """Rows in several tables, a changed term, a deleted permission, an extra content type."""
    make_user("analyst", "fictional-flush-analyst")
    make_user("viewer", "fictional-flush-viewer")
    term = Term.objects.order_by("pk").first()
    assert term is not None
    Term.objects.filter(pk=term.pk).update(label_en="changed by a test")
    Permission.objects.order_by("pk").first().delete()  # type: ignore[union-attr]
    ContentType.objects.create(app_label="fictional", model="leftover")


def test_the_quick_flush_restores_exactly_the_rows_djangos_flush_left():
    _django_flush()
    fast_flush.flush(connection)  # the first flush of a fresh baseline is Django's own
    baseline = _everything()
    assert {"records_term", "auth_permission", "django_content_type"} <= set(baseline)
    assert "accounts_user" not in baseline
    _scribble()
    assert _everything() != baseline
    fast_flush.flush(connection)
    assert _everything() == baseline


def test_the_quick_flush_and_djangos_flush_leave_the_same_rows_by_name():
    _scribble()
    fast_flush.flush(connection)
    quick = _by_natural_keys(_everything())
    _scribble()
    _django_flush()
    assert _by_natural_keys(_everything()) == quick
    assert ContentType.objects.filter(app_label="fictional").count() == 0


def test_a_table_of_many_rows_is_emptied_too():
    fast_flush.flush(connection)
    baseline = _everything()
    ct = ContentType.objects.create(app_label="fictional", model="many")
    Permission.objects.bulk_create(
        Permission(content_type=ct, codename=f"fictional_{i}", name=f"Fictional {i}")
        for i in range(fast_flush.BIG + 1)
    )
    make_user("viewer", "fictional-flush-many").user_permissions.add(
        *Permission.objects.filter(content_type=ct)[:3]
    )
    # Truncated on PostgreSQL; SQLite deletes every table's rows (no files to replace).
    assert fast_flush.non_empty_tables(connection, ["auth_permission"]) == {
        "auth_permission": connection.vendor == "postgresql"
    }
    fast_flush.flush(connection)
    assert _everything() == baseline
