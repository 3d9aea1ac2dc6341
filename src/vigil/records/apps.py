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

        from vigil.records.custody_signals import connect

        connect()
        from vigil.records.custody_store import fill_after_migrate

        post_migrate.connect(fill_after_migrate, sender=self)

        from vigil.records.titles import register as register_titles

        register_titles()

        from vigil.core.db.write_marks import watch_writes
        from vigil.records.count_changes import SQLITE_MARK, WATCHED

        watch_writes(WATCHED, SQLITE_MARK)  # SQLite's change marks (PostgreSQL: triggers)
