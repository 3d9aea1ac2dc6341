"""Django app configuration for the audit log."""

from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The tamper-evident audit log."""

    name = "vigil.audit"
    label = "audit"
    verbose_name = "Audit log"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Core's commands and server name no app above them: the audit log hooks itself in.
        from vigil.audit.shutdown import checkpoint_after_command, gunicorn_on_exit
        from vigil.audit.signing import check_same_key_as_log
        from vigil.core.commands import wrap_commands
        from vigil.core.serving import on_server_exit, on_shared_configuration_check

        wrap_commands(checkpoint_after_command)
        on_server_exit(gunicorn_on_exit)
        on_shared_configuration_check(check_same_key_as_log)
