"""People read labels, not stored codes: a walk over the main pages of a demo-like record (the
seed facts and a fictional case) finds no vocabulary key, script code, language code or
identifier scheme in the visible text, in English, Belarusian and Russian."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re

import pytest
from django.urls import reverse

from vigil.core.context import change_context
from vigil.records.models import Act, Person, Term

pytestmark = pytest.mark.django_db

SCRIPT_CODES = ("Latn", "Cyrl", "Zyyy")
SCHEMES = ("viasna-url", "viasna-latin")


def _visible(page: str) -> str:
    """The text a reader sees in <main>: no tags, attributes, scripts or styles."""
    main = page.split("<main", 1)[-1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    # Option values of filter forms are not shown; their labels are.
    text = re.sub(r"<[^>]+>", " ", main)
    return html_lib.unescape(re.sub(r"\s+", " ", text))


@pytest.fixture
def demo_like(fictional_case):
    from vigil.demo.seed_loader import load_seed_facts_into_record

    with change_context("test", detail="demo-like record"):
        load_seed_facts_into_record()
    return fictional_case


def _pages(case) -> list[str]:
    bialiatski = Person.objects.get(display_name="Ales Bialiatski")
    return [
        "/",
        reverse("web:persons"),
        reverse("web:perpetrators"),
        reverse("web:events"),
        reverse("web:cases"),
        reverse("web:organisations"),
        reverse("web:person", args=[bialiatski.pk]),
        reverse("web:person", args=[case.victim.pk]),
        reverse("web:person", args=[case.judge.pk]),
        reverse("web:perpetrator", args=[case.judge.pk]),
        reverse("web:event", args=[case.event.pk]),
        "/search/?q=Bialiatski",
        "/search/?q=appeal",
    ]


def _codes() -> set[str]:
    """Vocabulary keys no English word could be mistaken for (they hold an underscore)."""
    keys = set(Term.objects.filter(key__contains="_").values_list("key", flat=True))
    assert "appeal_decision" in keys and "presiding_judge" in keys
    return keys


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_the_main_pages_show_no_raw_vocabulary_code(admin_client, demo_like, language):
    codes = _codes()
    for url in _pages(demo_like):
        response = admin_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        text = _visible(response.content.decode())
        words = set(re.findall(r"[\w-]+", text))
        assert not words & codes, (url, sorted(words & codes))
        for code in (*SCRIPT_CODES, *SCHEMES):
            assert code not in words, (url, code)


@pytest.mark.parametrize("language", ["be", "ru"])
def test_roles_and_name_languages_are_labels_in_belarusian_and_russian(
    admin_client, demo_like, language
):
    page = admin_client.get(
        reverse("web:person", args=[demo_like.victim.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    roles = re.findall(r'class="tag tag--role">([^<]*)<', page)
    assert roles and all(not re.fullmatch(r"[a-z_]+", r) for r in roles), roles
    # The names table: the language column holds a word, not "be" or "en".
    cells = re.findall(
        r'</td><td data-label="[^"]*">([^<]*)</td><td data-label="[^"]*">[^<]*</td>'
        r'<td data-label="[^"]*">[^<]*</td></tr>',
        page,
    )
    assert cells and not {c.strip() for c in cells} & {"be", "ru", "en"}, cells
    # The participant named by the source "as counsel" reads in the page's language.
    assert "counsel" not in _visible(page)


def test_an_act_reads_by_its_type_label_in_quotes_found_by_search(admin_client, demo_like):
    appeal = Act.objects.filter(act_type_id=Term.pk_for("act_type", "appeal_decision")).first()
    assert appeal is not None
    assert str(appeal).startswith("Appeal decision: ")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Recorded acts on 1 March 2021."),
        ("be", "Зафіксаваныя дзеянні 1 сакавіка 2021 г."),
        ("ru", "Зафиксированные действия 1 марта 2021 г."),
    ],
)
def test_a_dossier_of_one_day_names_one_date_with_one_full_stop(
    admin_client, demo_like, language, expected
):
    page = admin_client.get(
        reverse("web:perpetrator", args=[demo_like.judge.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    text = _visible(page)
    assert expected in text
    assert "г.." not in text and " to " not in expected


@pytest.mark.parametrize(
    ("language", "pattern"),
    [
        ("en", r"\d{1,2} [A-Z][a-z]{2} \d{4}"),
        ("be", r"\d{2}\.\d{2}\.\d{4}"),
        ("ru", r"\d{2}\.\d{2}\.\d{4}"),
    ],
)
def test_the_persons_list_dates_follow_the_language_never_month_first(
    admin_client, demo_like, language, pattern
):
    page = admin_client.get(reverse("web:persons"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    shown = re.findall(r'<time datetime="[^"]+">([^<]+)</time>', page)
    assert shown and all(re.fullmatch(pattern, s) for s in shown), shown
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b", _visible(page))


def test_undated_acts_come_after_dated_ones_on_the_timeline(admin_client, demo_like):
    case = demo_like
    with change_context("test", detail="undated act"):
        Act.objects.create(
            event=case.event,
            act_type_id=Term.pk_for("act_type", "ill_treatment"),
            victim_person=case.victim,
            date=None,
            date_precision="unknown",
        )
        Act.objects.create(
            event=case.event,
            act_type_id=Term.pk_for("act_type", "fine"),
            victim_person=case.victim,
            date=None,
            date_precision="unknown",
            date_end=dt.date(2011, 11, 24),
        )
    page = admin_client.get(
        reverse("web:person", args=[case.victim.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    dates = re.findall(r'<p class="act__date"><time[^>]*>([^<]+)</time>', page)
    assert dates[0] == "before 24 November 2011"
    assert dates[-1] == "unknown"
    assert "2011-11-24" not in _visible(page)


def test_the_designation_dossier_names_scripts_and_languages_and_dates_at_precision(
    demo_like, admin_user
):
    from django.template.loader import render_to_string

    from vigil.records.models import PersonName
    from vigil.sanctions.reports import dossier_context

    judge = demo_like.judge
    with change_context("test", detail="judge's names"):
        judge.birth_date, judge.birth_date_precision = dt.date(1970, 1, 1), "year"
        judge.is_synthetic = False  # screened persons only (a fictional name all the same)
        judge.save()
        PersonName.objects.create(person=judge, value="Iudex Fictus", script="Latn", lang="en")
        PersonName.objects.create(person=judge, value="Юдэкс Фіктус", script="Cyrl", lang="be")
    html = render_to_string("sanctions/dossier.html", dossier_context(admin_user, judge))
    text = _visible("<main>" + html.split("<body>", 1)[-1] + "</main>")
    assert "Latin" in text and "Cyrillic" in text and "Belarusian" in text
    words = set(re.findall(r"[\w-]+", text))
    assert not words & {"Latn", "Cyrl", "be", "en"}, words & {"Latn", "Cyrl", "be", "en"}
    assert "Birth date: 1970" in text and "precision" not in text


def test_undated_acts_come_last_in_the_perpetrator_and_event_tables(admin_client, demo_like):
    case = demo_like
    with change_context("test", detail="undated sentence"):
        undated = Act.objects.create(
            event=case.event,
            act_type_id=Term.pk_for("act_type", "sentence"),
            victim_person=case.victim,
            date=None,
            date_precision="unknown",
        )
        from vigil.records.models import Involvement

        Involvement.objects.create(
            act=undated,
            perpetrator_person=case.judge,
            role_id=Term.pk_for("perpetrator_role", "judge"),
        )
    for url in (
        reverse("web:perpetrator", args=[case.judge.pk]),
        reverse("web:event", args=[case.event.pk]),
    ):
        page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        first_table = page.split("<main", 1)[1].split("</table>", 1)[0]
        rows = re.findall(r"<tr>\s*<td(?: data-label=\"[^\"]*\")?>(.*?)</td>", first_table, re.S)
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in rows]
        dated = [c for c in cells if c and c not in ("—", "unknown")]
        assert dated and cells[-1] in ("—", "unknown"), (url, cells)  # the undated act last
