from django.apps import AppConfig


class SanctionsConfig(AppConfig):
    name = "vigil.sanctions"
    label = "sanctions"
    verbose_name = "Sanctions accountability"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Screen a perpetrator as soon as they are recorded, renamed or merged."""
        from vigil.sanctions.autoscreen import connect

        connect()
