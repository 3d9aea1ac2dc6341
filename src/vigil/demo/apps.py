from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo: `vigil demo` builds and serves it, `vigil demo-code` prints its 2FA code."""

    name = "vigil.demo"
    label = "demo"
    verbose_name = "Vigil demo"
