"""URL map: the web UI and the admin."""

from django.contrib import admin
from django.urls import include, path

from vigil.accounts.language import set_language
from vigil.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("vigil.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", api.urls),
    path("sanctions/", include("vigil.sanctions.urls")),
    path("responses/", include("vigil.responses.urls")),
    path("evidence/", include("vigil.evidence.urls")),
    path("outputs/", include("vigil.outputs.urls")),
    path("search/", include("vigil.search.urls")),
    path("record/", include("vigil.entry.urls")),
    path("merge/", include("vigil.web.urls_merge")),
    path("lists/", include("vigil.web.urls_lists")),
    path("alerts/", include("vigil.alerts.urls")),
    path("risk/", include("vigil.warning.urls")),
    path("protection/", include("vigil.protection.urls")),
    path("", include("vigil.solidarity.urls")),
    path("", include("vigil.opendata.urls")),
    path("", include("vigil.web.urls")),
]

handler400 = "vigil.web.errors.bad_request"
handler403 = "vigil.web.errors.permission_denied"
handler404 = "vigil.web.errors.page_not_found"
handler500 = "vigil.web.errors.server_error"
