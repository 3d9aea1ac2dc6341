import secrets

import pytest
from django.db import connection
from pyrage import x25519

from vigil.backup.archive import create_backup, verify_backup
from vigil.backup.manifest import BackupInvalid
from vigil.core.context import change_context
from vigil.records.models import Person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (VIGIL_DATABASE_URL)")


def test_req4_postgres_backup_is_an_encrypted_pg_dump_that_verifies(tmp_path):
    canary = f"CANARY-{secrets.token_hex(8)}"
    with change_context("test"):
        Person.objects.create(display_name="Fictional Witness Example", notes=canary)
    identity = x25519.Identity.generate()
    identity_file = tmp_path / "keyholder.identity"
    identity_file.write_text(f"{identity}\n")
    result = create_backup(tmp_path / "pg.age", [str(identity.to_public())])
    assert result.manifest.engine == "postgresql"
    assert result.manifest.row_counts["records_person"] == 1
    assert canary.encode() not in result.path.read_bytes()
    assert verify_backup(result.path, [identity_file]).row_counts == result.manifest.row_counts
    data = bytearray(result.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    result.path.write_bytes(bytes(data))
    with pytest.raises(BackupInvalid):
        verify_backup(result.path, [identity_file])
