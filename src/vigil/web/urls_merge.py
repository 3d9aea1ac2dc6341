"""URLs of merging duplicate persons (mounted at /merge/)."""

from django.urls import path

from vigil.web import merging

app_name = "merge"
urlpatterns = [
    path("", merging.duplicates, name="duplicates"),
    path("<uuid:first>/<uuid:second>/", merging.compare_persons, name="compare"),
    path("person/<uuid:pk>/", merging.history, name="history"),
    path("undo/<uuid:pk>/", merging.undo, name="undo"),
]
