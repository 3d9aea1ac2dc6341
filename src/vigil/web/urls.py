"""URLs of the web UI."""

from django.urls import path

from vigil.web import list_views, record_views, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("glossary/", views.glossary, name="glossary"),
    path("how-many/", views.how_many, name="how_many"),
    path("checks/", views.record_checks, name="checks"),
    path("checks/<slug:kind>/", views.record_check_kind, name="check_kind"),
    path("persons/", list_views.record_list, {"name": "persons"}, name="persons"),
    path("persons/<uuid:pk>/", views.person_detail, name="person"),
    path("perpetrators/", list_views.record_list, {"name": "perpetrators"}, name="perpetrators"),
    path("perpetrators/<uuid:pk>/", record_views.perpetrator_detail, name="perpetrator"),
    path("organisations/", list_views.record_list, {"name": "organisations"}, name="organisations"),
    path("organisations/<uuid:pk>/", record_views.organisation_detail, name="organisation"),
    path("cases/", list_views.record_list, {"name": "cases"}, name="cases"),
    path("cases/<uuid:pk>/", record_views.case_detail, name="case"),
    path("events/", list_views.record_list, {"name": "events"}, name="events"),
    path("events/<uuid:pk>/", record_views.event_detail, name="event"),
    *[
        path(f"{name}/export/", list_views.record_export, {"name": name}, name=f"{name}_export")
        for name in ("persons", "perpetrators", "organisations", "cases", "events")
    ],
]
