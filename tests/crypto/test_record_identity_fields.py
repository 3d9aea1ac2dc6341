"""The real record's contact fields are encrypted per value on every backend."""

import uuid

import pytest
from django.db import connection

from vigil.core.context import change_context
from vigil.core.history import history_of
from vigil.policy.identity import identity_fields
from vigil.records.models import Person, Source

pytestmark = pytest.mark.django_db


def _raw(table: str, column: str, pk: uuid.UUID) -> str:
    with connection.cursor() as cursor:
        key = pk.hex if connection.vendor == "sqlite" else pk
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [key])  # noqa: S608
        return cursor.fetchone()[0]


def test_req2_family_contacts_of_a_person_never_reach_the_column_in_plaintext():
    canary = f"CANARY-{uuid.uuid4().hex}"
    with change_context("test"):
        person = Person.objects.create(
            display_name="Fictional Ales Examplevich", family_contacts=f"mother: {canary}"
        )
    assert canary not in _raw("records_person", "family_contacts", person.pk)
    assert Person.objects.get(pk=person.pk).family_contacts == f"mother: {canary}"


def test_req2_witness_contact_is_encrypted_and_makes_the_source_restricted():
    canary = f"CANARY-{uuid.uuid4().hex}"
    with change_context("test"):
        source = Source.objects.create(title="Fictional testimony", witness_contact=canary)
    assert canary not in _raw("records_source", "witness_contact", source.pk)
    assert source.confidentiality == "restricted"


def test_req2_contact_copied_to_another_person_fails_to_decrypt():
    with change_context("test"):
        one = Person.objects.create(display_name="Fictional One", contact_details="phone 1")
        two = Person.objects.create(display_name="Fictional Two", contact_details="phone 2")
    token = _raw("records_person", "contact_details", one.pk)
    with connection.cursor() as cursor:
        key = two.pk.hex if connection.vendor == "sqlite" else two.pk
        cursor.execute("UPDATE records_person SET contact_details = %s WHERE id = %s", [token, key])
    with pytest.raises(Exception):  # noqa: B017 - any decryption failure, never the plaintext
        _ = Person.objects.get(pk=two.pk).contact_details


def test_req2_history_never_holds_contact_values():
    canary = f"CANARY-{uuid.uuid4().hex}"
    with change_context("test"):
        person = Person.objects.create(display_name="Fictional Three", contact_details=canary)
    snapshot = history_of(person).get().snapshot
    assert snapshot["contact_details"] == "[encrypted]"
    assert canary not in str(snapshot)


def test_req2_contact_fields_are_identity_fields_only_revealed_through_the_policy():
    assert {"contact_details", "family_contacts"} <= identity_fields(Person)
    assert "witness_contact" in identity_fields(Source)
