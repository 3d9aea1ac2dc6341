"""The site's URLs plus the public open-data pages (as the lead will wire them)."""

from django.urls import include, path

from vigil.urls import urlpatterns as site

urlpatterns = [path("", include("vigil.opendata.urls")), *site]
