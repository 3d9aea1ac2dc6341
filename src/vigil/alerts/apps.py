"""Watchlists and alerts: in-app notifications, e-mail and signed webhooks through an outbox."""

from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "vigil.alerts"
    label = "alerts"
    verbose_name = "Alerts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Write notifications and outbox rows in the transaction of every act saved."""
        from vigil.alerts.events import connect

        connect()
