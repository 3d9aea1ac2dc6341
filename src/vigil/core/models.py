"""Base record mixins: UUID ids, optimistic locking, confidentiality, soft delete, history."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.core.context import current_context
from vigil.core.errors import ConflictError, HardDeleteRefused, ValidationFailed


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    RESTRICTED = "restricted", _("Restricted")
    SECRET = "secret", _("Secret")


CONFIDENTIALITY_ORDER = {c.value: i for i, c in enumerate(Confidentiality)}


class Action(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    RESTORE = "restore", _("Restored")
    MERGE = "merge", _("Merged")
    UNMERGE = "unmerge", _("Unmerged")


class RecordQuerySet(models.QuerySet[Any]):
    """Querysets refuse bulk hard deletion; a bulk update keeps the history exact."""

    def delete(self) -> Any:
        raise HardDeleteRefused("Records are never hard-deleted; use soft delete with a reason.")

    def update(self, **kwargs: Any) -> int:
        """UPDATE the rows (``bulk_update`` comes here too), after storing the version 1 of any
        of them a bulk write created that still holds it in its row (which this would change
        without a version): ``vigil.core.history.keep_first_versions``."""
        from vigil.core.history import keep_first_versions

        with transaction.atomic(using=self.db):
            keep_first_versions(self)
            return int(super().update(**kwargs))

    def live(self) -> RecordQuerySet:
        return self.filter(deleted_at__isnull=True)

    def real(self) -> RecordQuerySet:
        """Exclude synthetic (demo) records."""
        return self.filter(is_synthetic=False)


class LiveManager(models.Manager.from_queryset(RecordQuerySet)):  # type: ignore[misc]
    """The default manager: records not soft-deleted."""

    def get_queryset(self) -> RecordQuerySet:
        live: RecordQuerySet = super().get_queryset().filter(deleted_at__isnull=True)
        return live


AllManager = models.Manager.from_queryset(RecordQuerySet)


class VigilModel(models.Model):
    """Every record: UUID, who/when, version for optimistic locking, confidentiality, soft delete.

    Saving writes a :class:`Version` row in the same transaction, under the active change
    context; a save with no context raises.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(editable=False, null=True)
    updated_at = models.DateTimeField(editable=False, null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=12,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNAL,
    )
    is_synthetic = models.BooleanField(
        default=False,
        editable=False,
        help_text="Fictional demo record: never screened, never in outputs.",
    )
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deletion_reason = models.TextField(blank=True, editable=False)

    objects = LiveManager()
    all_objects = AllManager()

    history_exclude: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    # --- saving -----------------------------------------------------------------
    def save(self, *args: Any, action: str | None = None, **kwargs: Any) -> None:
        ctx = current_context()
        now = timezone.now()
        creating = self._state.adding
        self._loaded_version = self.version
        if creating:
            self.version = 1
            self.created_at = self.created_at or now
            self.created_by_id = self.created_by_id or ctx.actor_id
        else:
            self.version += 1
        self.updated_at = now
        self.updated_by_id = ctx.actor_id
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {
                "version",
                "updated_at",
                "updated_by",
            }
        try:
            with transaction.atomic():
                if not creating and self._loaded_version == 1:
                    # A record a bulk write created holds its version 1 in its row: store it
                    # before the row changes (vigil.core.history.keep_first_version).
                    from vigil.core.history import keep_first_version

                    keep_first_version(self)
                super().save(*args, **kwargs)
                from vigil.core.history import record_version

                record_version(self, action or (Action.CREATE if creating else Action.UPDATE), ctx)
        except Exception:
            self.version = self._loaded_version
            raise

    def _do_update(self, base_qs: Any, *args: Any, **kwargs: Any) -> Any:
        # Django's other arguments (using, pk_val, values, update_fields, forced_update, and
        # returning_fields from Django 6 on) pass through unchanged.
        expected = getattr(self, "_loaded_version", None)
        if expected is None:
            return super()._do_update(base_qs, *args, **kwargs)
        updated = super()._do_update(base_qs.filter(version=expected), *args, **kwargs)
        pk_val = args[1] if len(args) > 1 else kwargs["pk_val"]
        if not updated and base_qs.filter(pk=pk_val).exists():
            raise ConflictError(
                f"This {self._meta.verbose_name} was changed by someone else since you opened "
                f"it (your version {expected}). Reload it and apply your change again."
            )
        return updated

    # --- deletion ---------------------------------------------------------------
    def delete(self, *args: Any, **kwargs: Any) -> Any:
        from vigil.core.hard_delete import hard_delete_allowed

        if not hard_delete_allowed():  # only inside a two-admin purge
            raise HardDeleteRefused("Records are never hard-deleted; use soft_delete(reason).")
        return super().delete(*args, **kwargs)

    def soft_delete(self, reason: str) -> None:
        """Hide the record from normal use, keeping it and its history."""
        if not reason.strip():
            raise ValidationFailed("A reason is required to delete a record.")
        ctx = current_context()
        self.deleted_at = timezone.now()
        self.deleted_by_id = ctx.actor_id
        self.deletion_reason = reason.strip()
        self.save(action=Action.DELETE)

    def restore(self) -> None:
        """Undo a soft delete."""
        self.deleted_at = None
        self.deleted_by_id = None
        self.deletion_reason = ""
        self.save(action=Action.RESTORE)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class FeedSecret(models.Model):
    """A revocable secret in a user's feed address (iCalendar, Atom); only its SHA-256 is stored.

    A concrete feed's model adds ``user`` (a foreign key with its own related name) and
    ``feed_label``; issuing, revoking and reading are ``vigil.policy.feed_tokens``.
    """

    feed_label = "feed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        owner = getattr(self, "user", None)
        return f"{self.feed_label} of {owner} ({'revoked' if self.revoked_at else 'active'})"


class Version(models.Model):
    """One saved state of one record, written in the same transaction as the change."""

    id = models.BigAutoField(primary_key=True)
    # One index serves every reader by record (history pages, merges, purges, the policy's
    # check): the unique (object_id, model, version). A bulk import writes one version row per
    # record with a random object_id, so each further index on it is one more random B-tree
    # insert per row (issue 14 §3).
    model = models.CharField(max_length=100)
    object_id = models.UUIDField()
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    at = models.DateTimeField()
    context_id = models.UUIDField(db_index=True)
    context_kind = models.CharField(max_length=12)
    context_detail = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField(encoder=DjangoJSONEncoder)
    changed = models.JSONField(default=list, encoder=DjangoJSONEncoder)
    #: PostgreSQL: the id of the transaction that wrote the row (``pg_current_xact_id()``, the
    #: column's default there, set by migration core 0005; 0 on SQLite and in rows written
    #: before it). Ids come from a sequence when a row is inserted, not when it commits, so a
    #: reader replaying the history by id (the search index's catch-up) uses it to find rows
    #: that committed after rows with higher ids: ``vigil.search.sync``.
    xact = models.BigIntegerField(
        null=True, blank=True, editable=False, db_default=models.Value(0)
    )

    class Meta:
        ordering = ["model", "object_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["object_id", "model", "version"], name="uniq_version_by_object"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} v{self.version} ({self.action})"

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise HardDeleteRefused("The version history is append-only.")


class VersionBatch(models.Model):
    """The history of one bulk write of new records of one model: every record it created.

    A bulk write (importers, the synthetic demo) stores this one row instead of a version 1
    row per record. Each record it created holds ``updated_at`` = ``at`` and ``version`` = 1
    until its first change, so its version 1 (action "create", this row's time, context and
    actor, a snapshot of the record's own row) is derived while it stays at version 1, and
    written out as a :class:`Version` row just before that first change
    (``vigil.core.history``). ``object_ids`` holds the records' ids in write order (16 bytes
    each); ``fields`` the snapshot's field names as they were (``[name, sealed]``), so a field
    added later does not appear in an old version 1; a decimal field whose records held their
    values without trailing zeros (an importer's 30 where the column gives back 30.0) is listed
    ``[name, sealed, "trimmed"]`` and its version 1 is derived trimmed.
    """

    id = models.BigAutoField(primary_key=True)
    model = models.CharField(max_length=100)
    at = models.DateTimeField()
    context_id = models.UUIDField()
    context_kind = models.CharField(max_length=12)
    context_detail = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveIntegerField()
    object_ids = models.BinaryField()
    fields = models.JSONField(encoder=DjangoJSONEncoder)
    #: PostgreSQL: the id of the transaction that wrote the row, as :attr:`Version.xact`.
    xact = models.BigIntegerField(
        null=True, blank=True, editable=False, db_default=models.Value(0)
    )

    class Meta:
        ordering = ["model", "at"]
        constraints = [
            models.UniqueConstraint(fields=["model", "at"], name="uniq_version_batch_by_time")
        ]

    def __str__(self) -> str:
        return f"{self.model} batch of {self.count} at {self.at}"

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise HardDeleteRefused("The version history is append-only.")


class Generation(models.Model):
    """A named counter every host reads: bumped when what a per-process cache holds changed.

    A process keeps a cached value beside the generation it was read at; another host's write
    bumps the counter, so every host's next read sees a new generation and reads again.
    """

    key = models.CharField(max_length=60, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
