from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ResponsesConfig(AppConfig):
    name = "vigil.responses"
    label = "responses"
    verbose_name = "The international response"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vigil.responses.standards import sync_after_migrate

        post_migrate.connect(sync_after_migrate, sender=self)

        from vigil.responses.titles import register as register_titles

        register_titles()
