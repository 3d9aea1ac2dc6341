"""The page header kept per language, page, role and count, and the filter inputs drawn in
Python: the same bytes as their templates, and nothing kept for one user shown to another
(docs/benchmarks.md §4, fifth round)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.template import engines
from django.template.loader import get_template
from django.test import Client, RequestFactory
from django.urls import resolve
from django.utils import translation
from django.utils.safestring import mark_safe

from tests.conftest import make_user
from vigil.accounts import sessions
from vigil.accounts.testing import login_verified
from vigil.alerts.models import Notification
from vigil.core.context import change_context
from vigil.records.models import Person
from vigil.web.templatetags import vigil_frame
from vigil.web.widgets import FastCheckboxInput, FastDateInput, FastTextInput

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
# Quotes and brackets to escape, and the placeholders' own letters (put in as they are).
ODD_PATH = (
    "/persons/?q=%3Cb%3E%22%26%27&page=2"
    f"&x={vigil_frame.NAME_MARK}{vigil_frame.TOKEN_MARK}{vigil_frame.PATH_MARK}"
)


def _header_of(page: str) -> str:
    start = page.index('<header class="site-header">')
    return page[start : page.index("</header>", start) + len("</header>")]


def _drawn_directly(request, user, *, signed_in: bool, unread: int, token: str) -> str:
    """The reference template drawn with this request's own values (nothing kept)."""
    match = request.resolver_match
    drawn = get_template(vigil_frame.HEADER_TEMPLATE).render(
        {
            "signed_in": signed_in,
            "authenticated": True,
            "here": match.url_name,
            "space": match.namespace,
            "risky": user.role in ("admin", "coordinator", "analyst"),
            "staff": user.is_staff,
            "unread": unread,
            "csrf_token": token,
            "next_path": request.get_full_path(),
            "username": user.get_username(),
        }
    )
    return drawn.removesuffix("\n")


@pytest.mark.parametrize("language", ["en", "be", "ru"])
@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_the_kept_header_is_what_its_template_draws_with_this_requests_values(role, language):
    user = make_user(role, f"fictional-<{role}>&\"'")
    request = RequestFactory().get(ODD_PATH)
    request.resolver_match = resolve("/persons/")
    request.user = user
    request.session = {sessions.VERIFIED_AT: 1.0}
    frame = engines["django"].from_string("{% load vigil_frame %}{% site_header %}")
    with translation.override(language):
        for _ in range(2):  # drawn, then kept
            shown = frame.render({}, request)
            tokens = TOKEN.findall(shown)  # masked afresh on every request
            assert len(tokens) == 2 and tokens[0] == tokens[1] and tokens[0].isalnum()
            expected = _drawn_directly(request, user, signed_in=True, unread=0, token=tokens[0])
            assert shown == expected
    assert "fictional-&lt;" in shown and "q=%3Cb%3E%22%26%27&amp;page=2" in shown
    assert shown.count(vigil_frame.NAME_MARK) == 1  # in the address, not replaced by the name


def test_the_bell_counts_on_every_request_and_each_user_sees_their_own_name(client):
    viewer = make_user("viewer", "fictional-bell-viewer")
    other = make_user("viewer", "fictional-quiet-viewer")
    with change_context("test", actor=viewer):
        person = Person.objects.create(display_name="Fictional Bellperson", is_synthetic=True)
    ct = ContentType.objects.get_for_model(Person)
    for kind in ("act.created", "act.changed"):
        Notification.objects.create(
            recipient=viewer, kind=kind, target_type=ct, target_id=person.pk, dedup_key=kind
        )
    page = login_verified(Client(), viewer).get("/persons/").content.decode()
    assert 'class="bell bell--unread"' in page and 'class="bell__count">2<' in page
    assert "fictional-bell-viewer" in page
    quiet = login_verified(Client(), other).get("/persons/").content.decode()
    assert 'class="bell__count">0<' in quiet and "bell--unread" not in quiet
    assert "fictional-quiet-viewer" in quiet and "fictional-bell-viewer" not in quiet
    Notification.objects.filter(recipient=viewer).update(read_at=dt.datetime.now(dt.UTC))
    again = login_verified(Client(), viewer).get("/persons/").content.decode()
    assert 'class="bell__count">0<' in again and "bell--unread" not in again


def test_no_role_sees_another_roles_menu_and_no_language_another_languages():
    analyst, viewer = make_user("analyst"), make_user("viewer")
    viewer.is_staff = True  # the staff flag alone adds the Administration link
    viewer.save(update_fields=["is_staff"])
    analyst_page = login_verified(Client(), analyst).get("/").content.decode()
    viewer_page = login_verified(Client(), viewer).get("/").content.decode()
    assert 'href="/risk/"' in analyst_page and 'href="/admin/"' not in analyst_page
    assert 'href="/risk/"' not in viewer_page and 'href="/admin/"' in viewer_page
    english = _header_of(analyst_page)
    belarusian = Client(headers={"accept-language": "be"})
    belarusian.cookies["django_language"] = "be"
    header = _header_of(login_verified(belarusian, analyst).get("/").content.decode())
    assert header != english and ">Асобы<" in header and ">Persons<" not in header
    # The page marked current follows the page, not the first page drawn.
    persons = _header_of(login_verified(Client(), analyst).get("/persons/").content.decode())
    assert '<a href="/persons/" aria-current="page">' in persons
    assert '<a href="/" aria-current="page">' in english
    assert '<a href="/" aria-current="page">' not in persons


def test_a_signed_in_user_before_the_second_factor_sees_no_menu_and_no_bell():
    client = Client()
    user = make_user("analyst", "fictional-pending")
    client.force_login(user)
    page = client.get("/accounts/2fa/enrol/", follow=True).content.decode()
    header = _header_of(page)
    assert "site-nav" not in header and "bell" not in header
    assert "fictional-pending" in header and 'name="csrfmiddlewaretoken"' in header


CASES = [None, "", "plain", "<b>\"&'", mark_safe("<i>safe</i>"), dt.date(2024, 2, 29), 7]
ATTRS = [None, {"id": "id_x"}, {"aria-invalid": "true", "aria-describedby": "id_x_error"}]


@pytest.mark.parametrize(
    ("fast", "slow"),
    [
        (FastTextInput(attrs={"maxlength": 200}), forms.TextInput(attrs={"maxlength": 200})),
        (FastDateInput(format="%Y-%m-%d"), forms.DateInput(format="%Y-%m-%d")),
        (FastCheckboxInput(), forms.CheckboxInput()),
    ],
)
def test_the_inputs_drawn_in_python_are_djangos_template_bytes(fast, slow):
    for value in [*CASES, True, False, "on"]:
        for attrs in ATTRS:
            assert fast.render("x", value, attrs) == slow.render("x", value, attrs), (value, attrs)


# The loop list.html drew its filter fields with before they were kept (the reference).
FIELDS_LOOP = (
    "{% for field in form %}\n"
    '      <div class="field{% if field.errors %} field--error{% endif %}">\n'
    '        <label for="{{ field.id_for_label }}">{{ field.label }}</label>\n'
    "        {{ field }}\n"
    '        {% if field.errors %}<p class="field__error" id="{{ field.id_for_label }}-error">'
    '{{ field.errors|join:" " }}</p>{% endif %}\n'
    "      </div>\n"
    "    {% endfor %}"
)
FILTER_QUERIES = (
    None,
    "page=2",
    "q=%3Cb%3E%22%26%27&confidentiality=restricted&custody=in_custody",
    "date_from=2021-01-01&date_to=2022-12-31&needs_review=on&act_type=sentence",
    "date_from=yesterday&confidentiality=nonsense&act_type=nope",
    "q=a&q=b&needs_review=false",
)


@pytest.mark.parametrize("language", ["en", "be", "ru"])
@pytest.mark.parametrize("role", ["viewer", "analyst", "admin"])
def test_the_kept_filter_fields_are_what_the_loop_draws_for_every_query(role, language):
    from django.http import QueryDict

    from vigil.policy.access import one_reading
    from vigil.web.filters import PerpetratorFilterForm, PersonFilterForm

    user = make_user(role, f"fictional-fields-{role}")
    loop = engines["django"].from_string(FIELDS_LOOP)
    drawn: dict[str, str] = {}
    with translation.override(language), one_reading():
        for form_class in (PersonFilterForm, PerpetratorFilterForm):
            for query in FILTER_QUERIES:
                for _ in range(2):  # drawn, then kept
                    form = form_class(QueryDict(query) if query else None, user=user)
                    form.is_valid()
                    kept = str(vigil_frame.filter_fields(form))
                    assert kept == loop.render({"form": form}), (form_class, query)
                drawn[f"{form_class.__name__}?{query}"] = kept
    for name in ("PersonFilterForm", "PerpetratorFilterForm"):  # no value given: the same
        assert drawn.pop(f"{name}?page=2") == drawn[f"{name}?None"]
    assert len(set(drawn.values())) == len(drawn)  # each other query its own fields
    assert "&lt;b&gt;&quot;&amp;&#x27;" in drawn["PersonFilterForm?" + FILTER_QUERIES[2]]


def test_filter_fields_with_errors_are_not_kept():
    from django.http import QueryDict

    from vigil.policy.access import one_reading
    from vigil.web.filters import PersonFilterForm

    user = make_user("analyst", "fictional-fields-errors")
    with one_reading():
        form = PersonFilterForm(QueryDict("date_from=yesterday"), user=user)
        assert not form.is_valid()
        assert vigil_frame.fields_key(form) is None
        assert "field--error" in str(vigil_frame.filter_fields(form))
        plain = PersonFilterForm(QueryDict("page=1"), user=user)
        assert plain.is_valid() and vigil_frame.fields_key(plain) is not None
