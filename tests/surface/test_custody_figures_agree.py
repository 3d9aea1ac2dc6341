"""One definition of custody, the same numbers on every surface (issue 10, item 1).

A record with every edge case: in custody, term ended with no release recorded, released, died
in custody, khimiya, home confinement, a restriction term that has ended, a fine, a suspended
sentence, an appeal that shortened the term, a soft-deleted release and a confidential person.
Home, the persons list filter, ``vigil stats --json``, the API, the public page and the country
report must show the same count of each state for the same user (the public page: for what is
published); the profile, the drafts' facts and the API the same state for each person.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.record_acts import act_of
from vigil.accounts.models import User
from vigil.accounts.testing import login_verified
from vigil.accounts.tokens import create_token
from vigil.core.context import change_context
from vigil.outputs.citing import Citations
from vigil.outputs.facts import gather
from vigil.outputs.identity import custody_runs
from vigil.records.models import Person, Term
from vigil.reports.coverage import Coverage
from vigil.reports.figures import CUSTODY_LABELS, figure
from vigil.web.profile import person_profile

pytestmark = pytest.mark.django_db
D = dt.date
M = Decimal
A_YEAR_AGO = dt.date.today() - dt.timedelta(days=365)
A_MONTH_AGO = dt.date.today() - dt.timedelta(days=30)
STATES = (
    "in_custody",
    "term_ended_release_not_recorded",
    "restricted_liberty",
    "not_in_custody",
    "died_in_custody",
)
HOME_LABELS = {
    "in_custody": "in custody",
    "term_ended_release_not_recorded": "term ended, release not recorded",
    "restricted_liberty": "restricted liberty",
}
PUBLIC_SECTIONS = {
    "in_custody": "in-custody",
    "term_ended_release_not_recorded": "term-ended",
    "restricted_liberty": "restricted",
}


def _person(name: str, level: str = "public") -> Person:
    return Person.objects.create(display_name=name, confidentiality=level)


# Every record here is public but one arrest (given its level with act_of itself).
_public_act = partial(act_of, level="public")


def _colony(months: int) -> dict[str, Any]:
    regime = Term.pk_for("detention_regime", "general_colony")
    return {"sentence_months": M(months), "sentence_regime_id": regime}


def _measure(key: str) -> dict[str, str]:
    return {"restriction_measure_id": Term.pk_for("restriction_measure", key)}


@pytest.fixture
def edge_cases(db: Any) -> Iterator[None]:
    with change_context("test", detail="custody edge cases"):
        held = _person("Fictional Held Longterm")
        _public_act(held, "arrest", D(2024, 1, 10))
        _public_act(held, "sentence", D(2024, 6, 1), **_colony(1200))

        ended = _person("Fictional Term Ended")
        _public_act(ended, "arrest", D(2020, 8, 10))
        _public_act(ended, "sentence", D(2021, 3, 1), sentence_months=M(54))

        released = _person("Fictional Released")
        _public_act(released, "arrest", D(2021, 1, 1))
        _public_act(released, "sentence", D(2021, 5, 1), **_colony(24))
        _public_act(released, "release", D(2022, 6, 1))

        died = _person("Fictional Died In Custody")
        _public_act(died, "arrest", D(2021, 1, 1))
        _public_act(died, "death_in_custody", D(2022, 1, 1))

        khimiya = _person("Fictional Khimiya")
        # Terms still running whenever the test runs: sentenced a year and a month ago.
        _public_act(
            khimiya, "sentence", A_YEAR_AGO, sentence_months=M(60), **_measure("open_facility")
        )

        home = _person("Fictional Home Confinement")
        _public_act(
            home, "sentence", A_MONTH_AGO, sentence_months=M(36), **_measure("home_confinement")
        )

        khimiya_over = _person("Fictional Khimiya Served")
        served = _measure("open_facility")
        _public_act(khimiya_over, "sentence", D(2019, 1, 1), sentence_months=M(24), **served)

        fined = _person("Fictional Fined")
        _public_act(fined, "arrest", D(2025, 1, 1))
        _public_act(fined, "sentence", D(2025, 2, 1), fine_amount=M(100), fine_unit="base rates")

        suspended = _person("Fictional Suspended")
        _public_act(suspended, "arrest", D(2025, 1, 1))
        _public_act(suspended, "sentence", D(2025, 3, 1), sentence_months=M(36), suspended=True)

        appealed = _person("Fictional Appeal Shortened")
        _public_act(appealed, "arrest", D(2022, 1, 1))
        _public_act(appealed, "sentence", D(2022, 6, 1), **_colony(240))
        _public_act(appealed, "appeal_decision", D(2022, 9, 1), **_colony(36))

        deleted_release = _person("Fictional Release Deleted")
        _public_act(deleted_release, "arrest", D(2025, 1, 1))
        _public_act(deleted_release, "release", D(2025, 2, 1)).soft_delete(
            "fictional: entered in error"
        )

        confidential = _person("Fictional Confidential Prisoner", "restricted")
        act_of(confidential, "arrest", D(2025, 1, 1), "restricted")
        yield


# For the viewer (and the public): the confidential person is hidden.
SEEN_BY_VIEWER = {
    "in_custody": 2,  # held, deleted release
    "term_ended_release_not_recorded": 3,  # ended, appeal shortened, khimiya served
    "restricted_liberty": 2,  # khimiya, home confinement
    "not_in_custody": 3,  # released, fined, suspended
    "died_in_custody": 1,
}
SEEN_BY_ADMIN = {**SEEN_BY_VIEWER, "in_custody": 3}


@pytest.fixture
def users(db: Any) -> dict[str, User]:
    return {
        "viewer": User.objects.create_user("fictional-viewer", role="viewer"),
        "admin": User.objects.create_user("fictional-admin", role="admin"),
    }


def _home(user: User) -> dict[str, int]:
    html = login_verified(Client(), user).get("/").content.decode()
    found = {}
    for state, label in HOME_LABELS.items():
        stat = r'<span class="stat__n">(\d+)</span> <span class="stat__label">'
        match = re.search(stat + re.escape(label) + "<", html)
        assert match, f"home shows no count labelled {label!r}"
        found[state] = int(match.group(1))
    return found


def _persons_filter(user: User) -> dict[str, int]:
    client = login_verified(Client(), user)
    found = {}
    for state in STATES:
        html = client.get("/persons/", {"custody": state}).content.decode()
        match = re.search(r"(\d+) records? in this view\.", html)
        assert match, f"no result count for custody={state}"
        found[state] = int(match.group(1))
    return found


def _stats(user: User) -> dict[str, int]:
    out = io.StringIO()
    call_command("stats", "--json", acting_user=user.username, stdout=out)
    return json.loads(out.getvalue())["custody"]


def _stats_text(user: User) -> dict[str, int]:
    out = io.StringIO()
    call_command("stats", acting_user=user.username, stdout=out)
    labels = {
        "in_custody": "In custody (derived from acts)",
        "term_ended_release_not_recorded": "Term ended, release not recorded",
        "restricted_liberty": "Restricted liberty",
    }
    lines = out.getvalue().splitlines()
    return {
        state: int(next(line for line in lines if line.startswith(label)).split()[-1])
        for state, label in labels.items()
    }


def _api(user: User) -> tuple[dict[str, int], dict[str, str], int]:
    client = Client(headers={"Authorization": f"Bearer {create_token(user, 'fictional')[1]}"})
    by_filter = {}
    for state in STATES:
        body = client.get("/api/persons", {"custody": state, "limit": 200}).json()
        by_filter[state] = body["count"]
    every = client.get("/api/persons", {"limit": 200}).json()
    statuses = {item["id"]: item["custody"]["status"] for item in every["items"]}
    in_custody = client.get("/api/persons", {"in_custody": "true"}).json()["count"]
    return by_filter, statuses, in_custody


def _counted(statuses: dict[str, str]) -> dict[str, int]:
    found = Counter(statuses.values())
    return {s: found.get(s, 0) for s in STATES}


def _public() -> tuple[dict[str, int], dict[str, int]]:
    html = Client().get("/public/prisoners/").content.decode()
    page = {}
    for state, anchor in PUBLIC_SECTIONS.items():
        match = re.search(rf'<h2 id="{anchor}">[^<]*<span class="muted">\((\d+)\)</span>', html)
        page[state] = int(match.group(1)) if match else 0
    rows = Client().get("/public/prisoners.json").json()["prisoners"]
    listed = Counter(r["status"] for r in rows)
    return page, {s: listed.get(s, 0) for s in PUBLIC_SECTIONS}


def test_every_surface_shows_the_same_custody_numbers_for_the_viewer(edge_cases, users):
    viewer = users["viewer"]
    stats = _stats(viewer)
    assert stats == SEEN_BY_VIEWER
    home = _home(viewer)
    assert home == _stats_text(viewer) == {s: stats[s] for s in HOME_LABELS}
    assert _persons_filter(viewer) == stats
    by_filter, statuses, in_custody = _api(viewer)
    assert by_filter == stats and _counted(statuses) == stats
    assert in_custody == stats["in_custody"]
    page, listed = _public()
    assert page == listed == {s: stats[s] for s in PUBLIC_SECTIONS}
    report = dict(figure("custody-now", Coverage(viewer)).rows)
    assert report == {CUSTODY_LABELS[s]: n for s, n in stats.items() if n}


def test_profile_drafts_and_api_give_each_person_the_same_custody(edge_cases, users):
    viewer = users["viewer"]
    _, statuses, _ = _api(viewer)
    persons = Person.objects.filter(confidentiality="public")
    assert len(persons) == len(statuses) == 11
    for person in persons:
        profile = person_profile(viewer, person).custody.status.value
        draft = gather(viewer, person).custody.status.value
        assert profile == draft == statuses[str(person.pk)], person.display_name


def test_a_draft_says_custody_is_unknown_when_the_term_ended_without_a_release(
    edge_cases, users
):
    person = Person.objects.get(display_name="Fictional Term Ended")
    facts = gather(users["viewer"], person)
    text = "".join(run.text for run in custody_runs(facts, Citations()))
    assert text.startswith("Custody unknown: the sentence term ended on 10 February 2025")
    assert "No release is recorded" in text and "In custody" not in text


def test_every_surface_shows_the_same_custody_numbers_for_the_admin(edge_cases, users):
    admin = users["admin"]
    stats = _stats(admin)
    assert stats == SEEN_BY_ADMIN
    assert _home(admin) == {s: stats[s] for s in HOME_LABELS}
    assert _persons_filter(admin) == stats
    by_filter, statuses, in_custody = _api(admin)
    assert by_filter == stats and _counted(statuses) == stats
    assert in_custody == stats["in_custody"]
