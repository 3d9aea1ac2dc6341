"""The public list of political prisoners: no sign-in, no script, published records only."""

from __future__ import annotations

import datetime as dt
import re

from tests.reports import factories as f
from vigil.opendata.prisoners import public_prisoners

D = dt.date


def public_prisoner(name: str = "Fictional Public Prisoner", **kw):
    person = f.person(name, confidentiality="public", **kw)
    holder = f.event(
        "Fictional public case", confidentiality="public", synthetic=person.is_synthetic
    )
    common = {"event_": holder, "confidentiality": "public", "synthetic": person.is_synthetic}
    f.act("arrest", person, D(2021, 8, 4), **common)
    prison = f.court("Fictional Colony No. 99", confidentiality="public")
    prison.kind_id = "organisation_kind.prison"
    prison.save()
    sentence = f.act(
        "sentence", person, D(2021, 11, 24), months=120, sentence_text="10 years",
        sentence_regime_id="detention_regime.general_colony", place=prison, **common,
    )  # fmt: skip
    f.charge(sentence, f.provision("243", "2", "Tax evasion"))
    return person


def test_the_list_shows_published_persons_in_custody_with_arrest_articles_sentence_place(ctx):
    public_prisoner()
    (row,) = public_prisoners()
    assert row.name == "Fictional Public Prisoner"
    assert row.status == "in_custody" and not row.term_ended
    assert row.arrested == "4 August 2021"
    assert row.articles == ("Part 2 of Art. 243 CC",)
    assert row.sentence == "10 years"
    assert row.place == "Fictional Colony No. 99"


def test_released_internal_synthetic_and_deleted_persons_are_not_listed(ctx):
    public_prisoner("Fictional Still Held")
    released = public_prisoner("Fictional Released Later")
    f.act("release", released, D(2024, 1, 1), confidentiality="public")
    public_prisoner("Fictional Synthetic Prisoner", synthetic=True)
    public_prisoner("Fictional Deleted Prisoner").soft_delete("fictional test")
    internal = f.person("Fictional Internal Prisoner", confidentiality="internal")
    f.act("arrest", internal, D(2021, 1, 1), confidentiality="public")
    names = {r.name for r in public_prisoners()}
    assert names == {"Fictional Still Held"}


def test_custody_is_derived_from_published_acts_only(ctx):
    person = public_prisoner()
    f.act("release", person, D(2024, 1, 1), confidentiality="internal")  # not published
    assert [r.status for r in public_prisoners()] == ["in_custody"]


def test_restricted_liberty_is_its_own_category(ctx):
    person = f.person("Fictional Home Confinement", confidentiality="public")
    f.act(
        "sentence", person, dt.date.today() - dt.timedelta(days=365), confidentiality="public",
        months=24, restriction_measure_id="restriction_measure.home_confinement",
    )  # fmt: skip
    served = f.person("Fictional Home Confinement Served", confidentiality="public")
    f.act(
        "sentence", served, D(2022, 2, 2), confidentiality="public", months=24,
        restriction_measure_id="restriction_measure.home_confinement",
    )  # fmt: skip
    rows = {r.name: r.status for r in public_prisoners()}
    assert rows == {
        "Fictional Home Confinement": "restricted_liberty",
        "Fictional Home Confinement Served": "term_ended_release_not_recorded",
    }


def test_the_page_needs_no_sign_in_and_holds_no_script(ctx, client):
    public_prisoner()
    f.person("Fictional Internal Person", confidentiality="internal")
    response = client.get("/public/prisoners/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fictional Public Prisoner" in html
    assert "Part 2 of Art. 243 CC" in html and "10 years" in html
    assert "Fictional Internal Person" not in html
    assert "<script" not in html.lower()
    assert not re.search(r"\son[a-z]+\s*=", html, re.IGNORECASE)  # no inline event handlers
    assert 'href="/public/prisoners.json"' in html


def test_the_page_has_a_json_twin_with_the_same_rows(ctx, client):
    public_prisoner()
    body = client.get("/public/prisoners.json").json()
    (row,) = body["prisoners"]
    assert row["name"] == "Fictional Public Prisoner"
    assert row["articles"] == ["Part 2 of Art. 243 CC"]
    assert set(row) == {
        "id", "name", "status", "arrested", "articles", "sentence", "place",
        "term_ended_without_recorded_release",
    }  # fmt: skip
    assert row["term_ended_without_recorded_release"] is False


def test_the_page_is_read_only(ctx, client):
    assert client.post("/public/prisoners/").status_code == 405


def test_an_ended_term_without_a_recorded_release_is_not_shown_as_in_custody(ctx, client):
    person = f.person("Fictional Term Served", confidentiality="public")
    f.act("arrest", person, D(2011, 8, 4), confidentiality="public")
    f.act("sentence", person, D(2011, 11, 24), confidentiality="public", months=54)
    (row,) = public_prisoners()
    assert row.term_ended and row.arrested == "4 August 2011"
    html = client.get("/public/prisoners/").content.decode()
    before, _, ended = html.partition('id="term-ended"')
    assert "Fictional Term Served" in ended
    assert "Fictional Term Served" not in before


def test_the_arrest_date_is_found_when_an_undated_detention_comes_first(ctx):
    person = public_prisoner()
    f.act("detention", person, None, confidentiality="public")
    (row,) = public_prisoners()
    assert row.arrested == "4 August 2021"
