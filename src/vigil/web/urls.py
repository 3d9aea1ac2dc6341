"""URLs of the web UI."""

from django.urls import path

from vigil.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("persons/", views.person_list, name="persons"),
    path("persons/<uuid:pk>/", views.person_detail, name="person"),
]
