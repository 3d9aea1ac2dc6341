import sqlite3
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction

from vigil.core.context import change_context
from vigil.core.db.sqlcipher.base import DatabaseWrapper
from vigil.core.errors import DatabaseKeyError
from vigil.records.models import LegalProvision, Person, Statistic

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _only_sqlcipher():
    if connection.vendor != "sqlite":
        pytest.skip("SQLCipher at-rest encryption applies to the embedded SQLite default")


def _db_files() -> list[Path]:
    name = Path(connection.settings_dict["NAME"])
    return [p for p in (name, Path(f"{name}-wal"), Path(f"{name}-shm")) if p.exists()]


def test_database_wal_and_shm_never_hold_a_plaintext_canary():
    canary = f"CANARY-{uuid.uuid4().hex}"
    with change_context("test"):
        Person.objects.create(display_name="Fictional Witness", notes=canary)
    files = _db_files()
    assert files, "the test database should live in a file"
    for path in files:
        assert canary.encode() not in path.read_bytes(), path
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(FULL)")
    for path in _db_files():
        assert canary.encode() not in path.read_bytes(), path


def test_stdlib_sqlite_cannot_read_the_database():
    plain = sqlite3.connect(connection.settings_dict["NAME"])
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchall()
    plain.close()


def test_wrong_key_fails_closed_with_a_clear_message(tmp_path):
    settings_dict = dict(connection.settings_dict)
    settings_dict["OPTIONS"] = {"key": b"\x01" * 32}
    wrapper = DatabaseWrapper(settings_dict, alias="wrongkey")
    with pytest.raises(DatabaseKeyError, match="cannot be opened with this key"):
        wrapper.connect()


def test_missing_key_file_names_the_remedy(tmp_path):
    settings_dict = dict(connection.settings_dict)
    settings_dict["OPTIONS"] = {"key_file": str(tmp_path / "absent.key")}
    wrapper = DatabaseWrapper(settings_dict, alias="nokey")
    with pytest.raises(DatabaseKeyError, match="vigil init"):
        wrapper.connect()


def test_wal_and_full_synchronous_are_on():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL


def test_decimal_round_trips_and_duplicates_raise_integrity_error():
    with change_context("test"):
        stat = Statistic.objects.create(subject="fictional count", value=Decimal("1200.50"))
        assert Statistic.objects.get(pk=stat.pk).value == Decimal("1200.50")
        LegalProvision.objects.create(code="criminal", article="342")
        with pytest.raises(IntegrityError), transaction.atomic():
            LegalProvision.objects.create(code="criminal", article="342")


def test_settings_point_the_test_database_at_the_encrypted_backend():
    assert settings.DATABASES["default"]["ENGINE"] == "vigil.core.db.sqlcipher"
