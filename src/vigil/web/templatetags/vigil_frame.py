"""The page header of ``base.html``, drawn once per language, page, role and count, and kept.

Every page's header held a navigation of 20 links and the language, bell and sign-out
forms: 22 URL reversals and 30 translations, about a third of a blank signed-in page's CPU.
What it shows depends on few things: the language; whether the user is signed in (past the
second factor) or only authenticated; the page (its URL name and namespace, for
``aria-current``); whether the role may see risk scores and whether the user is staff; and
the unread-notification count, which is read on every request as before. The header is drawn
from its template (``vigil/includes/site_header.html``, the reference) once per such
combination and kept in the process; what differs on every request — the CSRF token, the
page's own address in the language form, the user's name — is drawn with a placeholder and
put in, escaped as the template escapes it, on every request.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from django import forms, template
from django.http import QueryDict
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from vigil.alerts.notifications import unread_count
from vigil.policy.access import may_see_risk

register = template.Library()

HEADER_TEMPLATE = "vigil/includes/site_header.html"
# Placeholders for what differs on every request: letters and digits only, so that the
# template's escaping leaves them as they are and they cannot occur in a translation.
TOKEN_MARK = "vigilCsrfTokenMark7f3a9c"  # noqa: S105  (a placeholder, not a secret)
PATH_MARK = "vigilNextPathMark7f3a9c"
NAME_MARK = "vigilUserNameMark7f3a9c"
# Languages × pages × two role flags × counts: cleared whole when it reaches this size.
DRAWN_MAX = 2048


class HeaderKey(NamedTuple):
    """What decides the header's HTML, apart from the values put in on every request."""

    language: str
    script_prefix: str
    urlconf: Any
    signed_in: bool  # authenticated and past the second factor: the navigation and the bell
    authenticated: bool  # the sign-out form and the user's name
    here: str | None  # the page's URL name
    space: str  # its namespace
    risky: bool  # the role may see risk scores
    staff: bool
    unread: int
    csrf: str  # how {% csrf_token %} draws: "token", "none" or "notprovided"


_MARKS = re.compile(f"({TOKEN_MARK}|{PATH_MARK}|{NAME_MARK})")
# Each header as its text cut at the placeholders (kept as their own parts): a value put in is
# never searched again, so a path or a name holding a placeholder's letters stays as it is.
_DRAWN: dict[HeaderKey, tuple[str, ...]] = {}


def _token_state(token: Any) -> str:
    """How ``{% csrf_token %}`` draws ``token``: an input ("token"), nothing ("none"), or
    nothing for Django's "NOTPROVIDED" ("notprovided")."""
    if not token:
        return "none"
    return "notprovided" if str(token) == "NOTPROVIDED" else "token"


def header_key(context: template.Context) -> HeaderKey:
    """The key of this page's header: the language, the user's state and role flags, the
    page, and the unread count (read now, as the bell always was)."""
    request = context.get("request")
    user = context.get("user")
    match = getattr(request, "resolver_match", None)
    signed_in = bool(context.get("signed_in"))
    authenticated = bool(getattr(user, "is_authenticated", False))
    request_user = getattr(request, "user", None)
    unread = 0
    if authenticated and signed_in and getattr(request_user, "is_authenticated", False):
        unread = unread_count(request_user)  # type: ignore[arg-type]  # signed in: a User
    return HeaderKey(
        language=get_language(),
        script_prefix=get_script_prefix(),
        urlconf=get_urlconf(),
        signed_in=signed_in,
        authenticated=authenticated,
        here=match.url_name if match is not None else None,
        space=match.namespace if match is not None else "",
        risky=may_see_risk(request_user),
        staff=bool(getattr(user, "is_staff", False)),
        unread=unread,
        csrf=_token_state(context.get("csrf_token")),
    )


def draw_header(key: HeaderKey) -> tuple[str, ...]:
    """The header for ``key`` from its template, with placeholders for the per-request values
    (no request in its context: nothing else can reach it)."""
    token = {"none": "", "notprovided": "NOTPROVIDED", "token": TOKEN_MARK}[key.csrf]
    drawn = get_template(HEADER_TEMPLATE).render(
        {
            "signed_in": key.signed_in,
            "authenticated": key.authenticated,
            "here": key.here,
            "space": key.space,
            "risky": key.risky,
            "staff": key.staff,
            "unread": key.unread,
            "csrf_token": token,
            "next_path": PATH_MARK,
            "username": NAME_MARK,
        }
    )
    return tuple(_MARKS.split(drawn.removesuffix("\n")))


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    """The page header (``vigil/includes/site_header.html``) of this page, for this user."""
    key = header_key(context)
    drawn = _DRAWN.get(key)
    if drawn is None:
        if len(_DRAWN) >= DRAWN_MAX:
            _DRAWN.clear()
        drawn = _DRAWN[key] = draw_header(key)
    request = context.get("request")
    values = {PATH_MARK: conditional_escape(request.get_full_path() if request else "")}
    if key.csrf == "token":  # the token Django made for this request (and will set as cookie)
        values[TOKEN_MARK] = conditional_escape(str(context.get("csrf_token")))
    if key.authenticated:
        values[NAME_MARK] = conditional_escape(context["user"].get_username())
    # The parts at odd places are placeholders (re.split keeps them), the rest drawn HTML.
    html = "".join(values[part] if n % 2 else part for n, part in enumerate(drawn))
    return mark_safe(html)  # noqa: S308  # nosec B308 B703 (drawn by the template; every value put in escaped)


# A list's filter fields (``vigil/includes/filter_fields.html``), drawn once per key and kept:
# nine fields, each a label, a widget and its error slot, cost about as much CPU as the page's
# 25 rows. What they show is decided by the form's class, the language, the values the request
# gave each field and the options each picker drew from (their cache key, when they were read
# and the shared generation: ``vigil.web.filters.cached_options``). A form with errors, initial
# values, files or a picker whose options are not cached is drawn every time.
FIELDS_TEMPLATE = "vigil/includes/filter_fields.html"
FIELDS_MAX = 512
_FIELDS: dict[Any, str] = {}


def fields_key(form: forms.BaseForm) -> tuple[Any, ...] | None:
    """What decides the HTML of ``form``'s fields, or None when it is drawn every time."""
    if form.initial or form.files or form.errors:
        return None
    data = form.data
    if form.is_bound and not isinstance(data, QueryDict):
        return None
    parts = []
    for name, field in form.fields.items():
        widget = field.widget
        options = getattr(widget, "options_key", None)
        if isinstance(field, forms.ModelChoiceField) and options is None:
            return None
        if field.initial is not None or field.disabled or field.show_hidden_initial:
            return None
        # The class's own label and help text (translated by the language in the key): one
        # set on this form alone is not a key's part, and the form is drawn.
        declared = getattr(form, "base_fields", {}).get(name)
        if declared is None or field.label is not declared.label:
            return None
        if field.help_text is not declared.help_text:
            return None
        given = tuple(data.getlist(form.add_prefix(name))) if isinstance(data, QueryDict) else None
        parts.append(
            (
                name,
                type(field),
                type(widget),
                field.required,
                field.localize,
                tuple(sorted(widget.attrs.items())),
                options,
                given,
            )
        )
    key = (
        type(form),
        get_language(),
        form.auto_id,
        form.prefix,
        form.label_suffix,
        form.use_required_attribute,
        form.is_bound,
        tuple(parts),
    )
    try:
        hash(key)
    except TypeError:  # an unhashable attribute: draw it
        return None
    return key


def draw_fields(form: forms.BaseForm) -> str:
    """The fields of ``form`` from their template (nothing but the form in its context)."""
    return get_template(FIELDS_TEMPLATE).render({"form": form}).removesuffix("\n")


@register.simple_tag
def filter_fields(form: forms.BaseForm) -> SafeString:
    """A list's filter fields (``vigil/includes/filter_fields.html``) for this form."""
    key = fields_key(form)
    if key is None:
        return mark_safe(draw_fields(form))  # noqa: S308  # nosec B308 B703 (drawn by the template)
    drawn = _FIELDS.get(key)
    if drawn is None:
        if len(_FIELDS) >= FIELDS_MAX:
            _FIELDS.clear()
        drawn = _FIELDS[key] = draw_fields(form)
    return mark_safe(drawn)  # noqa: S308  # nosec B308 B703 (drawn by the template)
