"""Users of Vigil, each with one role."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


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
