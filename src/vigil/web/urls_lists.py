"""URLs of stored lists, link runs and their review (mounted at /lists/)."""

from django.urls import path

from vigil.web import person_lists

app_name = "lists"
urlpatterns = [
    path("", person_lists.index, name="index"),
    path("upload/", person_lists.upload, name="upload"),
    path("from-record/", person_lists.from_record, name="from-record"),
    path("link/", person_lists.link, name="link"),
    path("<uuid:pk>/", person_lists.detail, name="detail"),
    path("<uuid:pk>/map/", person_lists.map_columns, name="map"),
    path("runs/<uuid:pk>/", person_lists.run_detail, name="run"),
    path("runs/<uuid:pk>/estimate/", person_lists.run_estimate, name="run-estimate"),
    path("pairs/<int:pk>/decide/", person_lists.pair_decide, name="decide"),
]
