"""Account pages: sign-in, 2FA enrolment and verification, step-up, sessions, API tokens."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.accounts import lockdown, recovery, sessions, throttle, tokens, totp
from vigil.accounts.auditing import audit
from vigil.accounts.forms import CodeForm, LoginForm, TokenForm
from vigil.accounts.middleware import allowed_before_2fa
from vigil.accounts.models import ApiToken, User
from vigil.accounts.stepup import step_up_required
from vigil.accounts.verification import check_code, safe_next


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required ran first
    return user


class VigilLoginView(LoginView):
    """Password sign-in; the second factor follows on its own page."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = False

    def form_invalid(self, form: Any) -> HttpResponse:
        """Over-limit attempts answer 429, identically for every user name."""
        response = super().form_invalid(form)
        if getattr(form, "throttled", False):
            response.status_code = 429
        return response

    def get_success_url(self) -> str:
        """After the password, verification (or enrolment), keeping where the user was going."""
        target = (
            "accounts_2fa_verify"
            if totp.confirmed_device(_user(self.request))
            else "accounts_2fa_enrol"
        )
        next_url = self.get_redirect_url()
        url = reverse(target)
        return f"{url}?{_query(next_url)}" if next_url else url


def _query(next_url: str) -> str:
    return urlencode({"next": next_url})


@allowed_before_2fa
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for the code of the authenticator app (or a recovery code) after the password."""
    user = _user(request)
    if totp.confirmed_device(user) is None:
        return HttpResponseRedirect(reverse("accounts_2fa_enrol"))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            method = check_code(request, user, form.cleaned_data["code"])
        except throttle.TooManyAttempts as exc:
            form.add_error(None, exc.message)
            status = 429
        else:
            if method is not None:
                if method == "recovery":
                    left = recovery.remaining(user)
                    messages.warning(request, _("Recovery code used; %(n)d left.") % {"n": left})
                return HttpResponseRedirect(safe_next(request))
            form.add_error("code", _("That code is not valid. Try the current one."))
    context = {"form": form, "next": safe_next(request, "")}
    return render(request, "accounts/verify.html", context, status=status)


@allowed_before_2fa
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: secret as text and QR code, confirmed by a first code."""
    user = _user(request)
    if totp.confirmed_device(user) is not None:
        return HttpResponseRedirect(reverse("accounts_2fa_verify"))
    device = totp.start_enrolment(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp.confirm(device, form.cleaned_data["code"]):
            codes = recovery.regenerate(user)
            sessions.mark_verified(request)
            audit("2fa_enrolled", actor=user, obj=user)
            done: dict[str, Any] = {"codes": codes, "next": safe_next(request)}
            return render(request, "accounts/recovery_codes.html", done)
        form.add_error("code", _("That code is not valid. Check the app's clock and try again."))
    uri = totp.provisioning_uri(device)
    context = {
        "form": form,
        "secret": totp.grouped_secret(device.secret),
        "qr_svg": totp.qr_svg(uri),
        "next": safe_next(request, ""),
    }
    response = render(request, "accounts/enrol.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def step_up(request: HttpRequest) -> HttpResponse:
    """Confirm a sensitive action with a fresh code, then return to it."""
    user = _user(request)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            if check_code(request, user, form.cleaned_data["code"]):
                return HttpResponseRedirect(safe_next(request))
            form.add_error("code", _("That code is not valid. Try the current one."))
        except throttle.TooManyAttempts as exc:
            form.add_error(None, exc.message)
            status = 429
    context = {"form": form, "next": safe_next(request, "")}
    return render(request, "accounts/step_up.html", context, status=status)


@login_required
@step_up_required()
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Show how many recovery codes are left; POST replaces them with fresh ones."""
    user = _user(request)
    if request.method == "POST":
        codes = recovery.regenerate(user)
        audit("2fa_enrolled", actor=user, obj=user, method="recovery_codes")
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/"})
    return render(request, "accounts/recovery_status.html", {"remaining": recovery.remaining(user)})


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    """The user's signed-in sessions, with a button to sign out everywhere."""
    user = _user(request)
    context = {
        "sessions": sessions.live_sessions(user),
        "current": request.session.session_key,
        "tokens": len(tokens.active_tokens(user)),
    }
    return render(request, "accounts/sessions.html", context)


@require_POST
@login_required
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of the user, this one included, and revoke their API tokens."""
    lockdown.log_out_everywhere(_user(request))
    logout(request)
    return HttpResponseRedirect(reverse("login"))


@login_required
@step_up_required()
def token_list(request: HttpRequest) -> HttpResponse:
    """List API tokens and issue a new one (its secret shown once)."""
    user = _user(request)
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        _token, raw = tokens.issue_token(
            request, form.cleaned_data["name"], form.cleaned_data["days"]
        )
        form = TokenForm()
    context = {"form": form, "raw": raw, "tokens": tokens.active_tokens(user)}
    response = render(request, "accounts/tokens.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: str) -> HttpResponse:
    """Revoke one of the user's own tokens."""
    token = get_object_or_404(ApiToken, pk=pk, user=_user(request))
    tokens.revoke(token)
    audit("token_revoked", actor=request.user, obj=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return HttpResponseRedirect(reverse("accounts_tokens"))


class VigilPasswordChangeView(PasswordChangeView):
    """Change the password; every other session of the user ends."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts_password_changed")

    def form_valid(self, form: Any) -> HttpResponse:
        """Save, keep this session, end the others."""
        response = super().form_valid(form)
        user = _user(self.request)
        # Django rotated the session key; index the new one before ending the rest.
        sessions.index(self.request, user)
        sessions.end_all(user, keep=self.request.session.session_key)
        audit("password_changed", actor=user, obj=user)
        return response


@login_required
def password_changed(request: HttpRequest) -> HttpResponse:
    """Confirmation after a password change."""
    return render(request, "accounts/password_changed.html")
