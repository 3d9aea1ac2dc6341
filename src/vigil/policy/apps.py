from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "vigil.policy"
    label = "policy"
    verbose_name = "Access policy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vigil.policy.grants import register_lockdown_revoker

        register_lockdown_revoker()
