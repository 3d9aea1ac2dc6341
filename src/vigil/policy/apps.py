from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "vigil.policy"
    label = "policy"
    verbose_name = "Access policy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vigil.policy.grants import register_lockdown_revoker

        register_lockdown_revoker()

        from django.db.models.signals import post_save

        from vigil.policy.access import forget_grants
        from vigil.policy.models import CaseGrant

        post_save.connect(forget_grants, sender=CaseGrant, dispatch_uid="vigil_forget_grants")
