from django.apps import AppConfig


class SanctionsConfig(AppConfig):
    name = "vigil.sanctions"
    label = "sanctions"
    verbose_name = "Sanctions accountability"
    default_auto_field = "django.db.models.BigAutoField"
