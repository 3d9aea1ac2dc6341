from django.urls import path, re_path

from vigil.sanctions import views

app_name = "sanctions"
urlpatterns = [
    path("gap/", views.gap_page, name="gap"),
    re_path(r"^gap\.(?P<fmt>csv|pdf)$", views.gap_download, name="gap-download"),
    path("review/", views.review_page, name="review"),
    path("review/<uuid:pk>/decide/", views.review_decide, name="decide"),
]
