from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "vigil.importers"
    label = "importers"
    verbose_name = "Vigil importers"
