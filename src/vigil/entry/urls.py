"""URLs of data entry."""

from django.urls import path

from vigil.entry import case_views, views

app_name = "entry"
urlpatterns = [
    path("", views.index, name="index"),
    path("arrest/", views.arrest, name="arrest"),
    path("trial/", views.trial, name="trial"),
    path("person/new/", views.person_new, name="person_new"),
    path("person/<uuid:pk>/edit/", views.person_edit, name="person_edit"),
    path("case/new/", case_views.case_new, name="case_new"),
    path("case/<uuid:pk>/edit/", case_views.case_edit, name="case_edit"),
    path("case/persons/", case_views.case_persons, name="case_persons"),
    path("suggest/person/", views.suggest_person, name="suggest_person"),
    path("suggest/source/", views.suggest_source, name="suggest_source"),
    path("terms/<slug:vocabulary>/", views.terms, name="terms"),
    path("provisions/", views.provisions, name="provisions"),
]
