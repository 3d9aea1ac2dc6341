"""Protection cases and defence funds: identities field-encrypted, shown only by explicit grant."""

from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "vigil.protection"
    label = "protection"
    verbose_name = "Protection"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Declare the beneficiary fields to the policy and revoke access at lockdown."""
        from vigil.protection.access import register

        register()

        from vigil.protection.titles import register as register_titles

        register_titles()
