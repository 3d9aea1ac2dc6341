"""Forms of the account pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from vigil.accounts import throttle
from vigil.accounts.auditing import audit
from vigil.accounts.tokens import DEFAULT_DAYS, MAX_DAYS

GENERIC_FAILURE = _("Your user name and password did not match. Please try again.")


class LoginForm(AuthenticationForm):
    """Password sign-in, throttled per account and address; one message for every failure."""

    error_messages = {"invalid_login": GENERIC_FAILURE, "inactive": GENERIC_FAILURE}

    throttled = False

    def clean(self) -> dict[str, Any]:
        """Refuse over-limit attempts before any password check; count failures."""
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password") or ""
        try:
            attempt = throttle.begin(self.request, username)
        except throttle.TooManyAttempts as exc:
            self.throttled = True
            audit("login_throttled")
            raise forms.ValidationError(exc.message, code="throttled") from exc
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            audit("login_failed", reason="bad_credentials")
            raise forms.ValidationError(GENERIC_FAILURE, code="invalid_login")
        throttle.succeeded(attempt)
        return self.cleaned_data


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class TokenForm(forms.Form):
    """Name and lifetime of a new API token."""

    name = forms.CharField(label=_("What is it for?"), max_length=100)
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS
    )
