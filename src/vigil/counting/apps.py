from django.apps import AppConfig


class CountingConfig(AppConfig):
    name = "vigil.counting"
    label = "counting"
    verbose_name = "Counting: multiple systems estimation"
    default_auto_field = "django.db.models.BigAutoField"
