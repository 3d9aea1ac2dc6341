"""EncryptedTextField: a text column holding AES-256-GCM tokens bound to table, row and field.

Values are encrypted when the model is saved (the row's primary key is part of the binding,
so the model needs its primary key before saving — Vigil's UUID keys are) and decrypted when
the attribute is read. ``values()`` and raw SQL see tokens only. Filtering on the field and
``QuerySet.update`` with plaintext are refused: the database never sees the value.
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from django.conf import settings
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.module_loading import import_string

from vigil.crypto.envelope import Keyring, Place, open_token, seal
from vigil.crypto.errors import DecryptionFailed

DEFAULT_KEYRING = "vigil.backup.keyring.database_keyring"


class Sealed(str):
    """A token as stored in the column: ciphertext, never plaintext."""

    __slots__ = ()


@cache
def _keyring_factory(path: str) -> Any:
    return import_string(path)


def field_keyring() -> Keyring:
    """The organisation keyring named by settings.FIELD_KEYRING."""
    keyring: Keyring = _keyring_factory(getattr(settings, "FIELD_KEYRING", DEFAULT_KEYRING))()
    return keyring


class EncryptedTextDescriptor(DeferredAttribute):
    """Decrypts the stored token on first read, with the instance's own row id."""

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = cast("EncryptedTextField", self.field).decrypt(instance, value)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


# Django's fields are generic in the stubs only (subscripting fails at run time).
class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text encrypted per value with a wrapped data key; see the module docstring."""

    descriptor_class = EncryptedTextDescriptor
    encrypted = True  # read by the history: never snapshot this field

    def place(self, instance: models.Model) -> Place:
        """Where this field's value for ``instance`` lives."""
        if instance.pk is None:
            raise DecryptionFailed(
                f"{self.model._meta.label}.{self.name} is encrypted and bound to the row id: "
                "the record needs its primary key before it is saved."
            )
        return Place(self.model._meta.db_table, str(instance.pk), cast(str, self.column))

    def decrypt(self, instance: models.Model, token: str) -> str:
        """The plaintext of ``token`` stored in this field of ``instance``."""
        return open_token(token, self.place(instance), field_keyring())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sealed | None:
        return None if value is None else Sealed(value)

    def pre_save(self, model_instance: models.Model, add: bool) -> Sealed | None:
        value = getattr(model_instance, self.attname)
        if value is None:
            return None
        return Sealed(seal(str(value), self.place(model_instance), field_keyring()))

    def get_prep_value(self, value: Any) -> str | None:
        if value is None or isinstance(value, Sealed):
            return None if value is None else str(value)
        raise DecryptionFailed(
            f"{self.model._meta.label}.{self.name} is encrypted: set it on the record and "
            "save(); the database cannot filter on it or take it from QuerySet.update()."
        )

    def to_python(self, value: Any) -> Any:
        return value if value is None or isinstance(value, str) else str(value)
