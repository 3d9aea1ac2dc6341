"""The risk pages: at-risk list, model card, person panel, register actions and links, in
en/be/ru; denied to roles outside the risk rule; every view of a score audited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import translation

from vigil.accounts.testing import login_verified
from vigil.audit.models import AuditEntry
from vigil.records.dates import format_day
from vigil.records.models import Person
from vigil.warning import notes
from vigil.warning.loading import Include
from vigil.warning.models import ModelFit, WatchedPerson
from vigil.warning.notes import backtest_error, backtest_note, fit_note, in_english
from vigil.warning.scoring import run_scoring

from ..module_data import built_once, refreshed
from .conftest import make_risk_users, plant_record

pytestmark = pytest.mark.django_db
HEADINGS = {
    "en": ("At risk", "Model card: early warning of arrest", "Risk of arrest"),
    "be": ("Пад пагрозай", "Картка мадэлі: ранняе папярэджанне пра арышт", "Рызыка арышту"),
    "ru": ("Под угрозой", "Карточка модели: раннее предупреждение об аресте", "Риск ареста"),
}


@pytest.fixture(scope="module")
def scored_once(django_db_setup, django_db_blocker):
    """The planted record scored once for the module (planting and the backtest take seconds)."""
    with built_once(django_db_blocker):
        users = make_risk_users()
        plant_record()
        fit = run_scoring(users["analyst"], at=dt.date(2021, 6, 1),
                          include=Include.SYNTHETIC, bootstrap=10).fit  # fmt: skip
        yield users, fit


@pytest.fixture
def scored(scored_once, db):
    users, fit = scored_once
    return {role: refreshed(user) for role, user in users.items()}, refreshed(fit)


def _has_number(page: str, text: str) -> bool:
    """A figure as written in English or with the Belarusian/Russian decimal comma."""
    return text in page or text.replace(".", ",") in page


def _client(user) -> Client:
    return login_verified(Client(), user)


@pytest.mark.parametrize("lang", ["en", "be", "ru"])
def test_at_risk_page_model_card_and_panel_render_in_each_language(scored, lang):
    users, fit = scored
    client = _client(users["analyst"])
    top = fit.scores.first()
    at_risk, card, panel = HEADINGS[lang]
    page = client.get("/risk/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert f"<h1>{at_risk}</h1>" in page
    assert top.person.display_name in page and "<svg" in page
    assert _has_number(page, f"{100 * top.probability:.1f}%")
    assert f"#act-{top.reasons[0]['records'][0]}" in page  # a reason links to its source act
    page = client.get("/risk/model/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert card in page and _has_number(page, str(fit.backtest["model"]["auc"]))
    assert "chart--calibration" in page
    page = client.get(f"/persons/{top.person_id}/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert panel in page and _has_number(page, f"{100 * top.probability:.1f}%")
    assert "chart--strip" in page  # the signals on a timeline


def test_each_view_of_a_score_is_audited_without_the_score(scored):
    users, fit = scored
    client = _client(users["coordinator"])
    top = fit.scores.first()
    client.get("/risk/")
    client.get(f"/persons/{top.person_id}/")
    views = AuditEntry.objects.filter(event="risk_view", actor_id=users["coordinator"].pk)
    got = {(e.meta["action"], str(e.object_id) if e.object_id else None) for e in views}
    assert ("list", None) in got and ("panel", str(top.person_id)) in got
    for e in views:
        assert set(e.meta) <= {"action", "count", "route"}


@pytest.mark.parametrize("role", ["viewer", "documenter"])
def test_roles_outside_the_risk_rule_are_refused_and_see_no_panel(scored, role):
    users, fit = scored
    client = _client(users[role])
    for path in ("/risk/", "/risk/model/", "/risk/links/"):
        assert client.get(path).status_code == 403, path
    top = fit.scores.first()
    assert client.post("/risk/register/", {"person": str(top.person_id)}).status_code == 403
    page = client.get(f"/persons/{top.person_id}/").content.decode()
    assert "Risk of arrest" not in page and "/risk/" not in page
    assert not _has_number(page, f"{100 * top.probability:.1f}%")
    assert not WatchedPerson.objects.exists()
    assert AuditEntry.objects.filter(event="denied", actor_id=users[role].pk).count() >= 4


def test_register_actions_from_the_pages(scored):
    users, fit = scored
    client = _client(users["analyst"])
    person = fit.scores.first().person
    response = client.post("/risk/register/", {"person": str(person.pk), "reason": "a lawyer",
                                               "next": "https://evil.example/"})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/risk/"
    entry = WatchedPerson.objects.get(person=person)
    assert entry.status == "watched" and entry.added_by == users["analyst"]
    client.post(f"/risk/register/{person.pk}/status/", {"status": "relocated"})
    entry.refresh_from_db()
    assert entry.status == "relocated"
    page = client.get("/risk/").content.decode()
    assert "Watched register" in page and "a lawyer" in page
    other = Person.objects.exclude(pk=person.pk).first()
    response = client.post(f"/risk/register/{other.pk}/status/", {"status": "no-such"})
    assert response.status_code == 302 and not WatchedPerson.objects.filter(person=other).exists()


def test_the_model_card_shows_labels_and_dates_not_stored_codes(scored):
    users, fit = scored
    page = _client(users["analyst"]).get("/risk/model/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    main = html[html.index("<main") :]
    assert "synthetic records only (a test, not a figure)" in main
    for code in ("<dd>synthetic</dd>", "<dd>names (", "<dd>none (", "<code>", "_detention"):
        assert code not in main, code
    assert fit.as_of.strftime("%Y-%m-%d") not in main  # dates in words, not ISO


def _points_fit(fit) -> tuple[str, str]:
    """Store ``fit`` as a points fit on too few events whose backtest could not fit the model
    at any cut-off; its stored (English) notes."""
    backtest = {**fit.backtest, "model_fitted_cutoffs": 0}
    note = in_english(fit_note, "points", 3, fit.min_events, fit.as_of)
    ModelFit.objects.filter(pk=fit.pk).update(
        method="points", training_events=3, note=note, backtest=backtest
    )
    return note, in_english(backtest_note, backtest, fit.min_events)


def _sentences(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[.;:]", text) if len(part.strip()) > 12]


def test_the_model_card_notes_are_the_stored_english_ones_on_an_english_page(scored):
    users, fit = scored
    note, bt_note = _points_fit(fit)
    assert "3 events in the training rows" in note and "known before 1 June 2021" in note
    assert "links_used" in bt_note and "At " in bt_note
    page = _client(users["analyst"]).get("/risk/model/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert f"<dd>{note}</dd>" in html and f'<p class="note">{bt_note}</p>' in html


@pytest.mark.parametrize("lang", ["be", "ru"])
def test_the_model_card_notes_read_in_the_page_language_with_no_english_sentence(scored, lang):
    users, fit = scored
    note, bt_note = _points_fit(fit)
    page = _client(users["analyst"]).get("/risk/model/", HTTP_ACCEPT_LANGUAGE=lang)
    html = page.content.decode()
    for sentence in _sentences(note) + _sentences(bt_note):
        assert sentence not in html, sentence
    with translation.override(lang):
        fit.refresh_from_db()
        translated = fit_note(fit.method, fit.training_events, fit.min_events, fit.as_of)
        assert f"<dd>{translated}</dd>" in html
        assert f'<p class="note">{backtest_note(fit.backtest, fit.min_events)}</p>' in html
    assert "1 June 2021" not in html and "2021-06-01" not in html


# Each reason a backtest could not be run, with the figures a fit stores for it.
BACKTEST_ERRORS = [
    (notes.NO_ACTS, {}),
    (notes.NO_WINDOW, {"start": "2021-01-01", "end": "2020-03-01", "first": "2019-06-01",
                       "last": "2020-05-30", "horizon": 90}),
    (notes.HORIZON, {}),
    (notes.NO_SIGNAL, {}),
    (notes.NO_PERSONS, {}),
]  # fmt: skip


def _failed_backtest(fit, code: str, values: dict, *, coded: bool = True) -> str:
    """Store ``fit`` as a fit whose backtest failed for ``code`` (without the code and figures:
    as fits were stored before the reasons had them); its stored English text."""
    english = in_english(backtest_error, code, values)
    backtest = {"error": english}
    if coded:
        backtest |= {"error_code": code, "error_values": values}
    ModelFit.objects.filter(pk=fit.pk).update(backtest=backtest)
    return english


def _backtest_section(html: str) -> str:
    start = html.index('id="bt-title"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("lang", ["be", "ru"])
@pytest.mark.parametrize(("code", "values"), BACKTEST_ERRORS)
def test_the_model_card_says_why_the_backtest_failed_in_the_page_language_with_no_english(
    scored, lang, code, values
):
    users, fit = scored
    english = _failed_backtest(fit, code, values)
    html = _client(users["analyst"]).get("/risk/model/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    section = _backtest_section(html)
    assert english not in html
    for sentence in _sentences(english):
        assert sentence not in section, sentence
    assert code not in section  # no raw code
    with translation.override(lang):
        # The days in words, as the rest of the card writes them.
        expected = backtest_error(code, values, lambda iso: format_day(dt.date.fromisoformat(iso)))
    assert f'<p class="note">{expected}</p>' in section
    assert expected != english
    for iso in (v for v in values.values() if isinstance(v, str)):
        assert iso not in section  # a day in words, not "2021-01-01"


@pytest.mark.parametrize("lang", ["be", "ru"])
def test_a_fit_stored_before_the_reasons_had_codes_reads_in_the_page_language(scored, lang):
    users, fit = scored
    client = _client(users["analyst"])
    # A reason with no figures is recognised by its English text and written again.
    english = _failed_backtest(fit, notes.NO_SIGNAL, {}, coded=False)
    html = client.get("/risk/model/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    with translation.override(lang):
        assert backtest_error(notes.NO_SIGNAL, {}) in _backtest_section(html)
    assert english not in html
    # One with figures is not parsed back: the card says only that the backtest failed.
    english = _failed_backtest(fit, *BACKTEST_ERRORS[1], coded=False)
    html = client.get("/risk/model/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    section = _backtest_section(html)
    assert english not in html and "--from" not in section
    with translation.override(lang):
        assert (
            translation.gettext("The backtest could not be run on the record as it then was.")
            in section
        )


def test_the_model_card_says_why_the_backtest_failed_in_english_with_days_in_words(scored):
    users, fit = scored
    english = _failed_backtest(fit, *BACKTEST_ERRORS[1])
    html = _client(users["analyst"]).get("/risk/model/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    section = _backtest_section(html)
    assert "2021-01-01" in english and "2021-01-01" not in section
    assert (
        "No cut-off to test: --from 1 January 2021 is after --to 1 March 2020 (the record runs "
        "from 1 June 2019 to 30 May 2020; a cut-off needs 90 days after it)."
    ) in section
