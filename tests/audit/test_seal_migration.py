"""The upgrade that adds seals seals the entries already in the log."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from vigil.audit import audit
from vigil.audit.errors import AuditTampered
from vigil.audit.models import AuditEntry
from vigil.audit.signing import seal
from vigil.audit.verify import verify_log

from .tamper import sql

pytestmark = pytest.mark.django_db

MIGRATION = "0002_auditentry_seal_each_entry"


def _run_seal_step() -> None:
    module = import_module(f"vigil.audit.migrations.{MIGRATION}")
    state = MigrationLoader(connection).project_state(("audit", MIGRATION))
    module.seal_existing(state.apps, SimpleNamespace(connection=connection))


def test_req28_upgrade_seals_existing_entries_so_verify_passes():
    for i in range(5):
        audit("identity_read", field="last_name", count=i)
    sql("UPDATE audit_auditentry SET seal = ''")  # as written before seals existed
    with pytest.raises(AuditTampered, match="entry 1 has no seal"):
        verify_log()
    _run_seal_step()
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seal for e in entries] == [seal(e.entry_hash) for e in entries]
    assert verify_log().size == 5


def test_req28_upgrade_of_an_empty_log_creates_no_signing_key(audit_key_file):
    _run_seal_step()
    assert not audit_key_file.exists()
