from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "vigil.backup"
    label = "backup"
    verbose_name = "Keys and backups"
    default_auto_field = "django.db.models.BigAutoField"
