from django.apps import AppConfig


class SanctionsConfig(AppConfig):
    name = "vigil.sanctions"
    label = "sanctions"
    verbose_name = "Sanctions accountability"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Screen a perpetrator as soon as they are recorded, renamed or merged; add the
        sanctions check to the record's checks."""
        from vigil.records.checks import register_check
        from vigil.sanctions.autoscreen import connect
        from vigil.sanctions.checks import perpetrator_not_screened

        connect()
        register_check("perpetrator_not_screened", perpetrator_not_screened)

        from vigil.sanctions.titles import register as register_titles

        register_titles()
