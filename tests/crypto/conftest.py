"""A throwaway model with encrypted fields: its table lives in the test database only."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from vigil.crypto.fields import EncryptedTextField

with isolate_apps("vigil.backup"):

    class Witness(models.Model):
        """Fictional test data only."""

        id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
        alias = models.CharField(max_length=50, default="Fictional witness")
        contact = EncryptedTextField(blank=True)
        identity = EncryptedTextField(null=True, blank=True)

        class Meta:
            app_label = "backup"
            db_table = "test_crypto_witness"

        def __str__(self) -> str:
            return self.alias


@pytest.fixture(scope="session")
def _witness_table(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Witness)
        yield
        with connection.schema_editor() as editor:
            editor.delete_model(Witness)


@pytest.fixture
def witness_model(_witness_table, db):
    """The `Witness` model, in a test rolled back at its end."""
    return Witness


@pytest.fixture
def witness_model_tx(_witness_table, transactional_db):
    """The `Witness` model, for tests that must commit (rekeying the database)."""
    return Witness
