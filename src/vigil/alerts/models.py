"""Watches, notifications, the outbox of e-mails and webhook calls, webhooks, delivery log."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vigil.core.models import FeedSecret
from vigil.crypto.fields import EncryptedTextField

ACT_CREATED = "act.created"
ACT_CHANGED = "act.changed"
PERPETRATOR_INVOLVED = "perpetrator.involved"
TERM_ENDING = "term.ending"
RISK_THRESHOLD = "risk.threshold"
HEARING_DUE = "hearing.due"
FOLLOW_UP_DUE = "follow_up.due"
SANCTIONS_LISTED = "sanctions.listed"
SANCTIONS_DELISTED = "sanctions.delisted"
RESPONSE_RECEIVED = "response.received"
#: The ``event`` of a daily digest e-mail's outbox row (never a notification's kind).
DIGEST = "digest"


class EventKind(models.TextChoices):
    """What happened to a watched record (the webhook ``event`` field and ``--events``)."""

    ACT_CREATED = ACT_CREATED, _("a new act")
    ACT_CHANGED = ACT_CHANGED, _("an act changed")
    PERPETRATOR_INVOLVED = PERPETRATOR_INVOLVED, _("a perpetrator linked to an act")
    TERM_ENDING = TERM_ENDING, _("a prison term about to end")
    RISK_THRESHOLD = RISK_THRESHOLD, _("a risk threshold crossed")
    HEARING_DUE = HEARING_DUE, _("a hearing coming up")
    FOLLOW_UP_DUE = FOLLOW_UP_DUE, _("a follow-up due")
    SANCTIONS_LISTED = SANCTIONS_LISTED, _("added to a sanctions list")
    SANCTIONS_DELISTED = SANCTIONS_DELISTED, _("dropped from a sanctions list")
    RESPONSE_RECEIVED = RESPONSE_RECEIVED, _("a state response received")


class Cadence(models.TextChoices):
    """When a user's alert e-mails go out."""

    IMMEDIATE = "immediate", _("at once, one e-mail per event")
    DAILY = "daily", _("once a day, a digest")


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
    # An e-mail held for the recipient's daily digest: never claimed itself; the digest row
    # that lists it is set when the digest is composed, and its state follows the digest's.
    held = models.BooleanField(default=False, db_default=False)
    digest = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
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


class EmailPreference(models.Model):
    """How a user wants alert e-mails: at once (the default, no row needed) or a daily digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="alert_email",
    )
    cadence = models.CharField(
        _("alert e-mails"), max_length=10, choices=Cadence.choices, default=Cadence.IMMEDIATE
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"alert e-mails of {self.user}: {self.cadence}"


class FeedToken(FeedSecret):
    """The secret in a user's Atom feed address."""

    feed_label = "notification feed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_feed_tokens"
    )
