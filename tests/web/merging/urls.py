"""The project's URLs with the merge pages mounted where the lead mounts them (/merge/)."""

from django.urls import include, path

from vigil.urls import handler400, handler403, handler404, handler500  # noqa: F401
from vigil.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("merge/", include("vigil.web.urls_merge")),
    *project_urlpatterns,
]
