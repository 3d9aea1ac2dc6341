"""URLs of alerts."""

from django.urls import path

from vigil.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.read, name="read"),
    path("watch/", views.watch_toggle, name="watch"),
]
