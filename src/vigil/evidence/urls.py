"""URLs of evidence files."""

from django.urls import path

from vigil.evidence import views

app_name = "evidence"
urlpatterns = [
    path("<uuid:pk>/download/", views.download, name="download"),
    path("<uuid:pk>/share/", views.share, name="share"),
    path("<uuid:pk>/custody/", views.handling, name="custody"),
    path("attach/<slug:kind>/<uuid:pk>/", views.attach, name="attach"),
]
