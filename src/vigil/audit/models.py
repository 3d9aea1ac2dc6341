"""Audit tables: the append-only entries, the head of the chain, and signed checkpoints."""

from __future__ import annotations

from typing import Any

from django.db import models

from vigil.audit.chain import entry_payload, hash_payload
from vigil.audit.errors import AuditAppendOnly


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Querysets that refuse bulk updates and deletes."""

    def update(self, **kwargs: Any) -> int:
        raise AuditAppendOnly("The audit log is append-only.")

    def delete(self) -> Any:
        raise AuditAppendOnly("The audit log is append-only.")


class AppendOnlyModel(models.Model):
    """A row that can be inserted once and never changed or deleted through the ORM."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditAppendOnly("The audit log is append-only.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AuditAppendOnly("The audit log is append-only.")


class AuditEntry(AppendOnlyModel):
    """One audited event, chained to the one before it by ``prev_hash``."""

    seq = models.PositiveBigIntegerField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    event = models.CharField(max_length=40, db_index=True)
    actor_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    context = models.CharField(max_length=12, blank=True)
    meta = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)
    # HMAC of entry_hash under a key derived from the signing key (vigil.audit.signing.seal).
    seal = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.event} by {self.actor_id or '-'}"

    def computed_hash(self) -> str:
        """The hash this entry's content and ``prev_hash`` should have."""
        return hash_payload(
            entry_payload(
                seq=self.seq,
                at=self.at,
                event=self.event,
                actor_id=self.actor_id,
                object_type=self.object_type,
                object_id=self.object_id,
                context=self.context,
                meta=self.meta,
                prev_hash=self.prev_hash,
            )
        )


class AuditHead(models.Model):
    """The single row that serialises appends: log size, last hash and Merkle frontier."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64)
    frontier = models.JSONField(default=list)
    # When the last checkpoint was signed (or the clock for time-based checkpoints started).
    checkpoint_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"audit head at {self.size}"


class AuditCheckpoint(AppendOnlyModel):
    """A signed tree head: the Merkle root of the first ``size`` entries, signed with Ed25519."""

    id = models.BigAutoField(primary_key=True)
    size = models.PositiveBigIntegerField()
    root_hash = models.CharField(max_length=64)
    at = models.DateTimeField()
    public_key = models.CharField(max_length=64)
    signature = models.CharField(max_length=128)

    class Meta:
        ordering = ["size", "id"]

    def __str__(self) -> str:
        return f"checkpoint at {self.size}"
