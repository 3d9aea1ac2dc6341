"""The country report app (no models: it reads the record)."""

from django.apps import AppConfig


class CountryReportsConfig(AppConfig):
    name = "vigil.reports"
    label = "country_reports"
    verbose_name = "Country report"
