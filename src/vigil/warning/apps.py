from django.apps import AppConfig


class WarningConfig(AppConfig):
    name = "vigil.warning"
    label = "warning"
    verbose_name = "Early warning: risk model and backtests"
    default_auto_field = "django.db.models.BigAutoField"
