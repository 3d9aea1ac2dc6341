"""Watches, notifications, the outbox of e-mails and webhook calls, webhooks, delivery log."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from vigil.crypto.fields import EncryptedTextField

ACT_CREATED = "act.created"
ACT_CHANGED = "act.changed"
PERPETRATOR_INVOLVED = "perpetrator.involved"
TERM_ENDING = "term.ending"
RISK_THRESHOLD = "risk.threshold"


class EventKind(models.TextChoices):
    """What happened to a watched record (the webhook ``event`` field and ``--events``)."""

    ACT_CREATED = ACT_CREATED, ACT_CREATED
    ACT_CHANGED = ACT_CHANGED, ACT_CHANGED
    PERPETRATOR_INVOLVED = PERPETRATOR_INVOLVED, PERPETRATOR_INVOLVED
    TERM_ENDING = TERM_ENDING, TERM_ENDING
    RISK_THRESHOLD = RISK_THRESHOLD, RISK_THRESHOLD


class Channel(models.TextChoices):
    EMAIL = "email", "e-mail"
    WEBHOOK = "webhook", "webhook"


class Watch(models.Model):
    """A user watches one record (person, organisation, case, perpetrator)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches"
    )
    # A generic link, as source citations point at any record (records.Citation).
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.UUIDField(db_index=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"], name="alerts_one_watch_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} watches {self.target_type.model} {self.target_id}"


class Notification(models.Model):
    """One in-app notice: a kind of event on a watched record, never its contents."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.UUIDField()
    target = GenericForeignKey("target_type", "target_id")
    # The record that changed (the act), by id only.
    subject_id = models.UUIDField(null=True, blank=True)
    # What makes it one event for one recipient (kind, record, version): never written twice.
    dedup_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="alerts_unread")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient} ({self.target_type.model} {self.target_id})"


class Webhook(models.Model):
    """An endpoint that receives signed POSTs for its owner's watches."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=500)
    # The signing secret, encrypted per value like the TOTP secrets.
    secret = EncryptedTextField()
    # Event kinds delivered; empty: every kind.
    events = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"webhook {self.pk} ({'active' if self.active else 'inactive'})"

    def wants(self, kind: str) -> bool:
        return self.active and (not self.events or kind in self.events)


class Outbox(models.Model):
    """One message to send: written with the change, sent by `vigil deliver`."""

    id = models.BigAutoField(primary_key=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    webhook = models.ForeignKey(Webhook, null=True, blank=True, on_delete=models.CASCADE)
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kind, record type and ids only: what the message may say is decided at delivery.
    payload = models.JSONField(default=dict)
    dedup_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    dropped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel="email", webhook__isnull=True)
                | Q(channel="webhook", webhook__isnull=False),
                name="alerts_outbox_webhook_iff_channel",
            )
        ]

    def __str__(self) -> str:
        return f"outbox {self.pk} {self.channel} {self.dedup_key}"


class Outcome(models.TextChoices):
    SENT = "sent", "sent"
    FAILED = "failed", "failed (will retry)"
    GAVE_UP = "gave-up", "failed (no more retries)"
    DROPPED = "dropped", "dropped (not visible to the recipient)"


class DeliveryLog(models.Model):
    """One delivery attempt of one outbox row: when, how it went, why (never the contents)."""

    id = models.BigAutoField(primary_key=True)
    outbox = models.ForeignKey(Outbox, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(auto_now_add=True)
    attempt = models.PositiveIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"outbox {self.outbox_id} attempt {self.attempt}: {self.outcome}"
