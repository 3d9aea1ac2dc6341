"""Django app for the outputs (drafts, downloads, the `report` command)."""

from django.apps import AppConfig


class OutputsConfig(AppConfig):
    name = "vigil.outputs"
    label = "outputs"
    verbose_name = "Outputs"
