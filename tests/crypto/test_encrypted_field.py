import secrets

import pytest
from django.db import connection

from vigil.backup.models import OrganisationKey
from vigil.crypto.envelope import PREFIX
from vigil.crypto.errors import DecryptionFailed
from vigil.crypto.fields import Sealed


def _canary() -> str:
    return f"CANARY-{secrets.token_hex(8)}"


def _raw(model, pk, column="contact"):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s",
            [pk.hex] if connection.vendor == "sqlite" else [pk],
        )
        return cursor.fetchone()[0]


def _set_raw(model, pk, value, column="contact"):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s",
            [value, pk.hex if connection.vendor == "sqlite" else pk],
        )


def test_req2_encrypted_field_round_trips_through_the_database(witness_model):
    canary = _canary()
    w = witness_model.objects.create(contact=canary, identity="Fictional Name Ivanou")
    again = witness_model.objects.get(pk=w.pk)
    assert again.contact == canary
    assert again.identity == "Fictional Name Ivanou"
    again.contact = canary + " (moved)"
    again.save()
    assert witness_model.objects.get(pk=w.pk).contact == canary + " (moved)"


def test_req2_canary_absent_from_the_raw_column(witness_model):
    canary = _canary()
    w = witness_model.objects.create(contact=canary)
    stored = _raw(witness_model, w.pk)
    assert stored.startswith(PREFIX)
    assert canary not in stored
    assert OrganisationKey.objects.count() == 1


def test_req2_null_stays_null_and_empty_text_is_encrypted(witness_model):
    w = witness_model.objects.create(contact="", identity=None)
    assert _raw(witness_model, w.pk, "identity") is None
    assert _raw(witness_model, w.pk).startswith(PREFIX)
    assert witness_model.objects.get(pk=w.pk).contact == ""


def test_req2_ciphertext_copied_to_another_row_fails_to_decrypt(witness_model):
    a = witness_model.objects.create(contact=_canary())
    b = witness_model.objects.create(contact="Fictional other contact")
    _set_raw(witness_model, b.pk, _raw(witness_model, a.pk))
    loaded = witness_model.objects.get(pk=b.pk)
    with pytest.raises(DecryptionFailed, match="copied from another record or field"):
        loaded.contact  # noqa: B018


def test_req2_ciphertext_copied_to_another_field_fails_to_decrypt(witness_model):
    w = witness_model.objects.create(contact=_canary(), identity="Fictional Name")
    _set_raw(witness_model, w.pk, _raw(witness_model, w.pk, "contact"), column="identity")
    with pytest.raises(DecryptionFailed):
        witness_model.objects.get(pk=w.pk).identity  # noqa: B018


def test_req2_tampered_byte_in_the_column_fails_to_decrypt(witness_model):
    import base64

    w = witness_model.objects.create(contact=_canary())
    raw = bytearray(base64.b64decode(_raw(witness_model, w.pk)[len(PREFIX) :]))
    raw[-1] ^= 0x01
    _set_raw(witness_model, w.pk, PREFIX + base64.b64encode(bytes(raw)).decode())
    with pytest.raises(DecryptionFailed, match="altered"):
        witness_model.objects.get(pk=w.pk).contact  # noqa: B018


def test_req2_values_and_raw_reads_give_tokens_never_plaintext(witness_model):
    canary = _canary()
    w = witness_model.objects.create(contact=canary)
    value = witness_model.objects.values_list("contact", flat=True).get(pk=w.pk)
    assert isinstance(value, Sealed) and canary not in value


def test_req2_filtering_or_bulk_updating_with_plaintext_is_refused(witness_model):
    witness_model.objects.create(contact=_canary())
    with pytest.raises(DecryptionFailed, match="cannot filter"):
        list(witness_model.objects.filter(contact="Fictional"))
    with pytest.raises(DecryptionFailed):
        witness_model.objects.update(contact="Fictional plaintext")


def test_req2_deferred_encrypted_field_loads_and_decrypts(witness_model):
    canary = _canary()
    w = witness_model.objects.create(contact=canary)
    assert witness_model.objects.defer("contact").get(pk=w.pk).contact == canary
