from django.urls import path

from vigil.sanctions import views

app_name = "sanctions"
urlpatterns = [
    path("gap/", views.gap_page, name="gap"),
    path("gap.csv", views.gap_download, {"fmt": "csv"}, name="gap-csv"),
    path("gap.pdf", views.gap_download, {"fmt": "pdf"}, name="gap-pdf"),
    path("review/", views.review_page, name="review"),
    path("review/<uuid:pk>/decide/", views.review_decide, name="decide"),
    path("review/<uuid:pk>/undo/", views.review_undo, name="undo"),
]
