from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "vigil.web"
    label = "web"
    verbose_name = "Web UI"

    def ready(self) -> None:
        from vigil.web import security  # noqa: F401  (registers the system checks)
