"""Trial monitoring (hearings, observers, reports), solidarity statements, the calendar."""

from django.apps import AppConfig


class SolidarityConfig(AppConfig):
    name = "vigil.solidarity"
    label = "solidarity"
    verbose_name = "Trial monitoring and solidarity"
    default_auto_field = "django.db.models.BigAutoField"
