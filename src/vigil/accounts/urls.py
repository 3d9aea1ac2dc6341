"""URLs of the account pages (mounted at /accounts/; names match Django's where they overlap)."""

from django.contrib.auth.views import LogoutView
from django.urls import path

from vigil.accounts import views
from vigil.accounts.middleware import allowed_before_2fa

urlpatterns = [
    path("login/", allowed_before_2fa(views.VigilLoginView.as_view()), name="login"),
    path("logout/", allowed_before_2fa(LogoutView.as_view()), name="logout"),
    path("2fa/", views.verify, name="accounts_2fa_verify"),
    path("2fa/enrol/", views.enrol, name="accounts_2fa_enrol"),
    path("2fa/recovery/", views.recovery_codes, name="accounts_recovery_codes"),
    path("step-up/", views.step_up, name="accounts_step_up"),
    path("sessions/", views.session_list, name="accounts_sessions"),
    path("sessions/end-all/", views.logout_everywhere, name="accounts_logout_everywhere"),
    path("tokens/", views.token_list, name="accounts_tokens"),
    path("tokens/<uuid:pk>/revoke/", views.token_revoke, name="accounts_token_revoke"),
    path("password/", views.VigilPasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.password_changed, name="accounts_password_changed"),
]
