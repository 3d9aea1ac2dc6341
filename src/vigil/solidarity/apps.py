"""Trial monitoring (hearings, observers, reports), solidarity statements, the calendar."""

from django.apps import AppConfig


class SolidarityConfig(AppConfig):
    name = "vigil.solidarity"
    label = "solidarity"
    verbose_name = "Trial monitoring and solidarity"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The response gap counts statements of solidarity; responses names no app above it.
        from vigil.responses.gap import count_statements_from
        from vigil.solidarity.statements import persons_with_statements

        count_statements_from(persons_with_statements)

        from vigil.solidarity.titles import register as register_titles

        register_titles()
