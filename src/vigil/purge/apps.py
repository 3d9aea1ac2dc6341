from django.apps import AppConfig


class PurgeConfig(AppConfig):
    """`vigil purge`: the one hard delete, requested and approved by two admins."""

    name = "vigil.purge"
    label = "purge"
    verbose_name = "Vigil purge"
