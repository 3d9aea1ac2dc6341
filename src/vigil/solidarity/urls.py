"""URLs of trial monitoring (monitoring/), campaigns (campaigns/) and the calendar (calendar/)."""

from django.urls import path

import vigil.outputs.urls  # noqa: F401  (registers the draftformat converter)
from vigil.solidarity import views

app_name = "solidarity"
urlpatterns = [
    path("monitoring/", views.hearing_list, name="hearings"),
    path("monitoring/new/", views.hearing_new, name="hearing-new"),
    path("monitoring/new/cases/", views.case_choices, {"field": "case"}, name="hearing-cases"),
    path(
        "monitoring/new/judges/", views.official_choices, {"role": "judge"}, name="hearing-judges"
    ),
    path(
        "monitoring/new/prosecutors/",
        views.official_choices,
        {"role": "prosecutor"},
        name="hearing-prosecutors",
    ),
    path("monitoring/hearings/<uuid:pk>/", views.hearing_detail, name="hearing"),
    path("monitoring/hearings/<uuid:pk>/assign/", views.hearing_assign, name="hearing-assign"),
    path("monitoring/hearings/<uuid:pk>/report/", views.hearing_report, name="hearing-report"),
    path(
        "monitoring/cases/<uuid:pk>/report.<draftformat:fmt>",
        views.monitoring_report,
        name="report",
    ),
    path("campaigns/", views.statement_list, name="statements"),
    path("campaigns/new/", views.statement_new, name="statement-new"),
    path(
        "campaigns/new/organisations/",
        views.organisation_choices,
        name="statement-organisations",
    ),
    path("campaigns/new/cases/", views.case_choices, {"field": "cases"}, name="statement-cases"),
    path("campaigns/<uuid:pk>/", views.statement_detail, name="statement"),
    path("campaigns/editions/", views.edition_add, name="edition-add"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/feed/", views.calendar_token, name="calendar-token"),
    path("calendar/dates/", views.international_date_add, name="date-add"),
    path("calendar/dates/remove/", views.international_date_remove, name="date-remove"),
    path("calendar/feed/<str:token>.ics", views.calendar_feed, name="feed"),
]
