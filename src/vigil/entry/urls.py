"""URLs of data entry."""

from django.urls import path

from vigil.entry import views

app_name = "entry"
urlpatterns = [
    path("", views.index, name="index"),
    path("arrest/", views.arrest, name="arrest"),
    path("trial/", views.trial, name="trial"),
    path("person/new/", views.person_new, name="person_new"),
    path("person/<uuid:pk>/edit/", views.person_edit, name="person_edit"),
    path("suggest/person/", views.suggest_person, name="suggest_person"),
    path("suggest/source/", views.suggest_source, name="suggest_source"),
    path("terms/<slug:vocabulary>/", views.terms, name="terms"),
    path("provisions/", views.provisions, name="provisions"),
]
