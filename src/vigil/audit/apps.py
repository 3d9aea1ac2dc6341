"""Django app configuration for the audit log."""

from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The tamper-evident audit log."""

    name = "vigil.audit"
    label = "audit"
    verbose_name = "Audit log"
    default_auto_field = "django.db.models.BigAutoField"
