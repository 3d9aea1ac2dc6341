"""URLs of the early-warning pages (risk roles only)."""

from django.urls import path

from vigil.warning import views

app_name = "warning"
urlpatterns = [
    path("", views.at_risk, name="at_risk"),
    path("model/", views.model_card, name="model_card"),
    path("register/", views.register_add, name="register_add"),
    path("register/<uuid:pk>/status/", views.register_status, name="register_status"),
    path("links/", views.cross_links, name="links"),
]
