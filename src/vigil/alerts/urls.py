"""URLs of alerts."""

from django.urls import path

from vigil.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.read, name="read"),
    path("watch/", views.watch_toggle, name="watch"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/feed/", views.feed_token, name="feed-token"),
    path("feed/<str:token>.atom", views.atom_feed, name="feed"),
]
