"""URLs of protection cases and defence funds."""

from django.urls import path, register_converter

from vigil.protection import views


class ExportFormat:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExportFormat, "grantformat")

app_name = "protection"
urlpatterns = [
    path("", views.board, name="board"),
    path("cases/new/", views.case_new, name="case-new"),
    path("cases/<uuid:pk>/", views.case_detail, name="case"),
    path("cases/<uuid:pk>/identity/", views.case_identity, name="case-identity"),
    path("cases/<uuid:pk>/close/", views.case_close, name="case-close"),
    path("cases/<uuid:pk>/actions/", views.action_add, name="action-add"),
    path("cases/<uuid:pk>/access/", views.case_access, name="case-access"),
    path("actions/<uuid:pk>/", views.action_update, name="action"),
    path("funds/", views.fund_list, name="funds"),
    path("funds/<uuid:pk>/", views.fund_detail, name="fund"),
    path("funds/grants.<grantformat:fmt>", views.auditor_export, name="export"),
    path("grants/<uuid:pk>/", views.grant_status, name="grant"),
    path("grants/<uuid:pk>/identity/", views.grant_identity, name="grant-identity"),
]
