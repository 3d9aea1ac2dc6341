"""Public URLs (no sign-in): the list of political prisoners and its JSON twin."""

from django.urls import path

from vigil.opendata import views

app_name = "opendata"
urlpatterns = [
    path("public/prisoners/", views.prisoners, name="prisoners"),
    path("public/prisoners.json", views.prisoners_json, name="prisoners_json"),
]
