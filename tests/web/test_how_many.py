"""The "How many?" page: documented counts, stored estimates with intervals, the lists' overlap."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.policy.factories import stored_estimate
from vigil.core.context import change_context
from vigil.records.models import Act, Event, Person, Profession, Term
from vigil.reports.coverage import Coverage
from vigil.reports.howmany import documented_count

pytestmark = pytest.mark.django_db


def _term(vocabulary: str, key: str) -> str:
    return Term.pk_for(vocabulary, key)


@pytest.fixture
def counted() -> dict[str, object]:
    """Two fictional detained persons (one a lawyer, detained twice), one secret estimate-free
    synthetic person, and a stored estimate of persons detained."""
    with change_context("test"):
        event = Event.objects.create(title="Fictional mass detention")
        first = Person.objects.create(display_name="Fictional Detainee One")
        lawyer = Person.objects.create(display_name="Fictional Advocate Two")
        demo = Person.objects.create(display_name="Fictional Demo Three", is_synthetic=True)
        Profession.objects.create(person=lawyer, profession_id=_term("profession", "lawyer"))
        for person, day in ((first, 1), (lawyer, 2), (lawyer, 9), (demo, 3)):
            Act.objects.create(event=event, victim_person=person, date=dt.date(2021, 1, day),
                               act_type_id=_term("act_type", "arrest"))
        estimate = stored_estimate("Fictional detentions 2021")
        estimate.save()
    return {"estimate": estimate, "lawyer": lawyer}


def test_documented_counts_are_distinct_visible_real_persons(counted, viewer):
    coverage = Coverage(viewer)
    assert documented_count("detained", coverage) == 2  # the lawyer once; the demo person never
    assert documented_count("lawyers_persecuted", coverage) == 1
    assert documented_count("political_prisoners", coverage) == 2  # arrested, never released


def test_the_page_shows_each_category_with_the_estimate_interval_overlap_and_command(
    counted, viewer_client
):
    html = viewer_client.get("/how-many/").content.decode()
    estimate = counted["estimate"]
    for title in ("Persons detained", "Political prisoners", "Lawyers persecuted"):
        assert title in html
    assert f"{estimate.estimate:,.0f}" in html
    assert f"95% interval {estimate.interval_low:,.0f} – {estimate.interval_high:,.0f}" in html
    assert "<svg" in html and html.count('class="upset__bar"') == 7  # seven patterns
    assert "vigil estimate fictional.csv --method loglinear" in html
    assert f"vigil estimate --recompute {estimate.pk}" in html
    assert "Everyone had some chance of being on some list" in html
    assert "No estimate stored for this category" in html  # the two other categories


def test_an_estimate_the_user_may_not_view_is_not_shown(counted, viewer_client):
    estimate = counted["estimate"]
    estimate.confidentiality = "secret"
    with change_context("test"):
        estimate.save()
    for path in ("/how-many/", "/"):
        html = viewer_client.get(path).content.decode()
        assert "Fictional detentions 2021" not in html
        # The figure as a number of its own, not digits inside a record id or another number.
        figure = re.escape(f"{estimate.estimate:,.0f}")
        assert not re.search(rf"(?<![\w,.]){figure}(?![\w,.])", html)


def test_the_home_page_never_shows_an_estimate_without_its_interval(counted, viewer_client):
    html = viewer_client.get("/").content.decode()
    shown = re.findall(r'<span class="estimate">(.*?)</span></span>', html, flags=re.S)
    assert shown, "the stored estimate is on the home page"
    for fragment in shown:
        assert "estimate__interval" in fragment and "interval" in fragment
    estimate = counted["estimate"]
    assert f"{estimate.interval_low:,.0f} – {estimate.interval_high:,.0f}" in html


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("be", ("Колькі?", "Затрыманыя асобы", "інтэрвал")),
        ("ru", ("Сколько?", "Задержанные лица", "интервал")),
    ],
)
def test_the_page_speaks_belarusian_and_russian(counted, viewer_client, lang, texts):
    viewer_client.cookies["django_language"] = lang
    html = viewer_client.get("/how-many/").content.decode()
    for text in texts:
        assert text in html


def test_the_page_needs_sign_in(client):
    response = client.get("/how-many/")
    assert response.status_code == 302 and "/login" in response["Location"]
