"""The per-file key of each stored evidence file, sealed like any encrypted field."""

from __future__ import annotations

from typing import Any

from django.db import models

from vigil.core.errors import HardDeleteRefused
from vigil.crypto.fields import EncryptedTextField


class EvidenceKey(models.Model):
    """The age identity a stored file is encrypted to, wrapped by the organisation key.

    Kept in an encrypted field (not in the file) so that ``vigil keys rotate`` re-wraps it with
    every other field key, and a seized evidence folder holds ciphertext only.
    """

    evidence = models.OneToOneField(
        "records.Evidence",
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="file_key",
    )
    identity = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "evidence file key"

    def __str__(self) -> str:
        return f"key of evidence {self.evidence_id}"

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise HardDeleteRefused("An evidence file key is never deleted in normal operation.")
