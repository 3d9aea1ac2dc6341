from django.apps import AppConfig


class EntryConfig(AppConfig):
    name = "vigil.entry"
    label = "entry"
    verbose_name = "Data entry"
