"""Requirement 11: services take the acting user; a hidden record never influences their output.

Each test builds a record with something secret in it (an analyst holds no grant, so secret
records are hidden from them) and compares what an administrator and the analyst get: the
administrator's result proves the secret record would change the answer, the analyst's that
it does not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.record_acts import act_of
from vigil.accounts.models import User
from vigil.core.context import change_context
from vigil.outputs.services import build_draft
from vigil.records.models import (
    Act,
    ClaimKind,
    Information,
    Involvement,
    Organisation,
    Person,
    Profession,
    Source,
    Term,
)
from vigil.reports.coverage import Coverage
from vigil.reports.figures import figure
from vigil.responses.forums import record_position, silent_states
from vigil.responses.gap import response_gap
from vigil.responses.interventions import create_intervention
from vigil.sanctions.gap import gap_report

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def ctx(db: Any) -> Iterator[None]:
    with change_context("test", detail="services read through the policy"):
        yield


@pytest.fixture
def admin() -> User:
    return User.objects.create_user("fictional-admin", role="admin")


@pytest.fixture
def analyst() -> User:
    return User.objects.create_user("fictional-analyst", role="analyst")


def _person(name: str, *professions: str, level: str = "internal") -> Person:
    p = Person.objects.create(display_name=name, confidentiality=level)
    for key in professions:
        Profession.objects.create(person=p, profession_id=Term.pk_for("profession", key))
    return p


# The secret acts below sit in events at "internal" (event_level): their own level, not their
# event's, is what must hide them.


def _judge(act: Act, judge: Person) -> Involvement:
    return Involvement.objects.create(
        act=act,
        perpetrator_person=judge,
        role_id=Term.pk_for("perpetrator_role", "judge"),
        confidentiality=act.confidentiality,
    )


def _cite(source: Source, target: Any) -> Information:
    return Information.objects.create(
        source=source,
        target_type=ContentType.objects.get_for_model(type(target)),
        target_id=target.pk,
        quote="Fictional quote",
        claim_kind=ClaimKind.SOURCE_TEXT,
        confidentiality=source.confidentiality,
    )


def test_req11_sanctions_gap_counts_no_hidden_act_victim_or_perpetrator(admin, analyst):
    judge = _person("Fictional Judge Visiblevich")
    only_secret = _person("Fictional Judge Secretovich")
    seen_victim = _person("Fictional Victim One")
    hidden_victim = _person("Fictional Victim Two")
    _judge(act_of(seen_victim, "sentence", D(2022, 1, 10), sentence_months=Decimal(24)), judge)
    secret = act_of(
        hidden_victim,
        "sentence",
        D(2022, 2, 10),
        "secret",
        event_level="internal",
        sentence_months=Decimal(60),
    )
    _judge(secret, judge)
    _judge(secret, only_secret)

    full = {row.person: row for row in gap_report(admin).rows}
    seen = {row.person: row for row in gap_report(analyst).rows}
    assert (len(full[judge].acts), full[judge].months_handed) == (2, Decimal(84))
    assert (len(seen[judge].acts), seen[judge].months_handed) == (1, Decimal(24))
    assert seen[judge].victims == [seen_victim]
    assert only_secret in full and only_secret not in seen


def test_req11_response_gap_derives_custody_only_from_visible_acts(admin, analyst):
    held = _person("Fictional Advocata Held", "lawyer")
    act_of(held, "arrest", D(2023, 1, 5))
    act_of(held, "release", D(2023, 2, 1), "secret", event_level="internal")
    hidden_arrest = _person("Fictional Advocata Hidden", "lawyer")
    act_of(hidden_arrest, "arrest", D(2023, 1, 6), "secret", event_level="internal")

    assert [r.person for r in response_gap(admin).detained] == [hidden_arrest]
    assert [r.person for r in response_gap(analyst).detained] == [held]


def test_req11_response_gap_counts_no_hidden_response(admin, analyst):
    lawyer = _person("Fictional Advocata Unanswered", "lawyer")
    act_of(lawyer, "arrest", D(2023, 3, 1))
    appeal = create_intervention("urgent_appeal", persons=[lawyer], confidentiality="secret")

    [full] = response_gap(admin).detained
    [seen] = response_gap(analyst).detained
    assert "un_communication" not in full.missing
    assert "un_communication" in seen.missing
    assert appeal in response_gap(admin).unanswered
    assert appeal not in response_gap(analyst).unanswered


def test_req11_silent_states_ignore_hidden_positions(admin, analyst):
    kind = Term.pk_for("organisation_kind", "foreign_government")
    utopia = Organisation.objects.create(display_name="Utopia", kind_id=kind)
    erewhon = Organisation.objects.create(display_name="Erewhon", kind_id=kind)
    spoke = record_position(utopia, "hrc", "statement", topic="lawyers")
    spoke.confidentiality = "secret"
    spoke.save()

    full = {s.state: s.other_positions for s in silent_states(admin, topic="lawyers")}
    seen = {s.state: s.other_positions for s in silent_states(analyst, topic="lawyers")}
    assert full == {erewhon: 0}
    assert seen == {erewhon: 0, utopia: 0}


def test_req11_drafts_cite_no_hidden_source_and_state_no_hidden_act(admin, analyst):
    victim = _person("Fictional Defensor Draftovich", "lawyer")
    arrest = act_of(victim, "arrest", D(2021, 7, 14))
    _cite(Source.objects.create(title="Fictional open monitoring page"), arrest)
    release = act_of(victim, "release", D(2021, 9, 1), "secret", event_level="internal")
    _cite(
        Source.objects.create(title="Fictional hidden testimony", confidentiality="secret"), arrest
    )
    _cite(Source.objects.create(title="Fictional hidden release note"), release)

    for kind in ("wgad", "appeal", "brief"):
        full = build_draft(admin, kind, victim)
        seen = build_draft(analyst, kind, victim)
        full_titles = {f.title for f in full.footnotes}
        seen_titles = {f.title for f in seen.footnotes}
        # The note cites a secret act: the administrator's draft states it, the analyst's not.
        assert "Fictional hidden release note" in full_titles, kind
        assert seen_titles.isdisjoint(
            {"Fictional hidden testimony", "Fictional hidden release note"}
        )
        assert "Fictional open monitoring page" in seen_titles, kind
    brief = build_draft(analyst, "brief", victim).text
    assert "In custody" in brief  # the hidden release does not let the victim out
    assert "In custody" not in build_draft(admin, "brief", victim).text


def test_req11_country_report_counts_no_hidden_record_at_any_ceiling(admin, analyst):
    act_of(_person("Fictional Detainee Open"), "arrest", D(2022, 5, 3))
    act_of(
        _person("Fictional Detainee Secret"),
        "arrest",
        D(2022, 6, 3),
        "secret",
        event_level="internal",
    )

    full = figure("detained-by-month", Coverage(admin, ceiling="secret")).rows
    seen = figure("detained-by-month", Coverage(analyst, ceiling="secret")).rows
    assert full == [("2022-05", 1, 1), ("2022-06", 1, 1)]
    assert seen == [("2022-05", 1, 1)]
