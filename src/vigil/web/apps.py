from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "vigil.web"
    label = "web"
    verbose_name = "Web UI"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from vigil.records.models import LegalProvision, Organisation, Term
        from vigil.web import security  # noqa: F401  (registers the system checks)
        from vigil.web.filters import options_changed

        for model in (LegalProvision, Organisation, Term):
            post_save.connect(
                options_changed, sender=model, dispatch_uid=f"vigil_options_{model.__name__}"
            )
