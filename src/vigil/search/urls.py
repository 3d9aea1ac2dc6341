"""URLs of search."""

from django.urls import path

from vigil.search import views

app_name = "search"
urlpatterns = [path("", views.search, name="search")]
