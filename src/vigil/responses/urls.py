"""URLs of the response pages (included under ``responses/``)."""

from django.urls import path

from vigil.responses import views

app_name = "responses"
urlpatterns = [
    path("", views.intervention_list, name="interventions"),
    path("interventions/<uuid:pk>/", views.intervention_detail, name="intervention"),
    path("gap/", views.response_gap, name="gap"),
    path("forums/", views.forum_positions, name="forums"),
    path("acts/<uuid:pk>/coding/", views.act_coding, name="act-coding"),
    path("acts/<uuid:pk>/suggest/", views.suggest_for_act, name="act-suggest"),
    path(
        "codings/<uuid:pk>/<str:decision>/",
        views.decide_coding,
        name="coding-decide",
    ),
]
