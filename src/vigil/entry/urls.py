"""URLs of data entry."""

from django.urls import URLPattern

app_name = "entry"
urlpatterns: list[URLPattern] = []
