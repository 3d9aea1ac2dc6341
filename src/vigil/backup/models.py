"""Organisation keys, stored wrapped under the master key (never in the clear)."""

from __future__ import annotations

from django.db import models


class OrganisationKey(models.Model):
    """One version of the organisation key, wrapped under one master key (by fingerprint).

    During a master rekey a version briefly has two rows, one per master key, so a crash at
    any point leaves a row that the database's current key can open.
    """

    version = models.PositiveIntegerField()
    master_fingerprint = models.CharField(max_length=32)
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "master_fingerprint"], name="uniq_org_key_version_master"
            )
        ]
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"organisation key v{self.version}"
