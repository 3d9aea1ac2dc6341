from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vigil.core"
    label = "core"
    verbose_name = "Vigil core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from vigil.core import checks  # noqa: F401  # registers the settings' system checks
        from vigil.core.db.postgres_session import configure_session

        connection_created.connect(configure_session, dispatch_uid="vigil-postgres-session")
