"""Download URLs of the drafts (included by the project under `outputs/`)."""

from django.urls import path, register_converter

from vigil.outputs import views


class FormatConverter:
    regex = "docx|pdf"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "draftformat")

app_name = "outputs"
urlpatterns = [
    path("<str:kind>/<uuid:person_id>.<draftformat:fmt>", views.download, name="download"),
]
