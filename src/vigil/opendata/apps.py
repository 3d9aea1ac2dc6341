"""The open-data app (no models: it publishes what the record marks public)."""

from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "vigil.opendata"
    label = "opendata"
    verbose_name = "Open data"
