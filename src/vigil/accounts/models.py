"""Users of Vigil, each with one role."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.crypto.fields import EncryptedTextField


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    ANALYST = "analyst", _("Analyst")
    DOCUMENTER = "documenter", _("Documenter")
    VIEWER = "viewer", _("Viewer")


class User(AbstractUser):
    """A person who uses Vigil (not a person in the record)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.VIEWER)
    language = models.CharField(_("language"), max_length=5, blank=True)


class TOTPDevice(models.Model):
    """A user's authenticator app: its secret and the last time-step it accepted."""

    # A UUID key exists before the first save: the secret's encryption is bound to the row id.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="totp_device", verbose_name=_("user")
    )
    # Base32 secret, encrypted per value on every backend (PostgreSQL has no SQLCipher).
    secret = EncryptedTextField(_("secret"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_used_step = models.BigIntegerField(_("last accepted time-step"), default=-1)

    class Meta:
        verbose_name = _("authenticator")

    def __str__(self) -> str:
        return f"authenticator of {self.user}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A single-use recovery code, stored only as a SHA-256 digest."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="recovery_codes", verbose_name=_("user")
    )
    digest = models.CharField(_("digest"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        constraints = [
            models.UniqueConstraint(fields=["user", "digest"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"recovery code of {self.user}"


class UserSession(models.Model):
    """Index of a user's server-side sessions, so that all of them can be ended at once."""

    session_key = models.CharField(_("session key"), max_length=40, primary_key=True)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="session_index", verbose_name=_("user")
    )
    created_at = models.DateTimeField(_("signed in at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session")

    def __str__(self) -> str:
        return f"session of {self.user}"


class ApiToken(models.Model):
    """An API credential: only the SHA-256 of the secret is stored; it expires."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"API token {self.name!r} of {self.user}"


class AuthAttempt(models.Model):
    """A recent sign-in attempt, keyed by a keyed hash of the account or address (never raw)."""

    key = models.CharField(_("key"), max_length=64, db_index=True)
    at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        verbose_name = _("sign-in attempt")

    def __str__(self) -> str:
        return f"attempt at {self.at:%Y-%m-%d %H:%M:%S}"
