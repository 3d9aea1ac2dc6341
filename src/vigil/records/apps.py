from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RecordsConfig(AppConfig):
    name = "vigil.records"
    label = "records"
    verbose_name = "The record"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vigil.records.vocab_sync import sync_after_migrate

        post_migrate.connect(sync_after_migrate, sender=self)
