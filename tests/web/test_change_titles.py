"""The change history names records as a person reads them: "Recent changes" on the home page
and the history of a record page show a title and a link for every kind, never a raw id; a
record the user may not view lends no title, and a protection case shows only its pseudonym."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from tests.conftest import as_user, term
from tests.web.conftest import cite
from vigil.accounts.testing import login_verified
from vigil.core.context import change_context
from vigil.core.models import Version
from vigil.protection import cases, funds
from vigil.records.models import Act, Case, Event, Information, Intervention, Organisation, Person
from vigil.solidarity.models import Hearing, Statement
from vigil.web.changes import _titled, describe

pytestmark = pytest.mark.django_db

HEX8 = re.compile(r"\b[0-9a-f]{8}\b")


def _recent(page: str) -> str:
    """The "Recent changes" table of the home page."""
    return page.split('id="recent-title"', 1)[-1].split("</table>", 1)[0]


def _visible(fragment: str) -> str:
    """The text a reader sees: no tags or attributes."""
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)))


def _resave(*objs) -> None:
    with change_context("test", detail="touch"):
        for obj in objs:
            obj.save()


def test_home_names_records_of_the_record_by_title_with_a_link(viewer_client, fictional_case):
    c = fictional_case
    with change_context("test", detail="more kinds"):
        case = Case.objects.create(title="Fictional case of the lawyers")
        org = Organisation.objects.get(display_name="Fictional Penal Colony No. 0")
        intervention = Intervention.objects.create(
            intervention_type_id=term("intervention_type", "urgent_appeal"),
            title="Fictional urgent appeal",
        )
        info = cite(c.act_source, c.arrest, quote="Fictional arrest quote.")
    _resave(c.victim, c.event, c.sentence, org)
    with change_context("test", detail="last"):
        info.save()
        case.save()
        intervention.save()
    recent = _recent(viewer_client.get("/").content.decode())
    assert f'<a href="/persons/{c.victim.pk}/">Testa Fictionalia</a>' in recent
    assert f'<a href="/events/{c.event.pk}/">Fictional prosecution of Testa Fictionalia</a>' in (
        recent
    )
    assert (
        f'<a href="/persons/{c.victim.pk}/#act-{c.sentence.pk}">'
        "Conviction and sentence: Testa Fictionalia (1 March 2021)</a>"
    ) in recent
    # A citation opens the record it supports (the arrest, on its victim's page).
    assert (
        f'<a href="/persons/{c.victim.pk}/#act-{c.arrest.pk}">Arrest: Testa Fictionalia '
        "(10 August 2020), from “Fictional court record”</a>"
    ) in recent
    assert f'<a href="/organisations/{org.pk}/">Fictional Penal Colony No. 0</a>' in recent
    assert f'<a href="/cases/{case.pk}/">Fictional case of the lawyers</a>' in recent
    assert (
        f'<a href="/responses/interventions/{intervention.pk}/">Fictional urgent appeal</a>'
        in recent
    )
    # No record is shown as a raw id.
    assert not HEX8.search(_visible(recent)), _visible(recent)
    assert '<code class="muted">' not in recent


def test_a_person_page_history_tells_the_names_of_the_person_apart(viewer_client, fictional_case):
    victim = fictional_case.victim
    html = viewer_client.get(f"/persons/{victim.pk}/").content.decode()
    history = html.split("table--changes", 1)[1].split("</table>", 1)[0]
    assert f'<a href="/persons/{victim.pk}/">Name: Testa Fictionalia</a>' in history
    assert f'<a href="/persons/{victim.pk}/">Name: Тэста Фіктыўная</a>' in history
    assert f'<a href="/persons/{victim.pk}/">Testa Fictionalia</a>' in history
    assert not HEX8.search(_visible(history))


def test_home_names_a_source_by_its_title_for_whoever_may_read_its_history(
    admin_client, fictional_case
):
    # A source's history may name its witness: only a user who may reveal identities reads it.
    _resave(fictional_case.act_source)
    recent = _recent(admin_client.get("/").content.decode())
    # A source has no page: its title alone.
    assert '<th scope="row">Fictional court record</th>' in recent, _visible(recent)


def test_home_names_monitoring_and_solidarity_records_with_their_pages(viewer_client):
    with change_context("test", detail="monitoring"):
        case = Case.objects.create(title="Fictional case of the observers")
        hearing = Hearing.objects.create(case=case, date=dt.date(2025, 3, 3))
        statement = Statement.objects.create(title="Fictional statement of support")
    recent = _recent(viewer_client.get("/").content.decode())
    assert (
        f'<a href="/monitoring/hearings/{hearing.pk}/">'
        "Hearing of Fictional case of the observers, 3 March 2025</a>"
    ) in recent
    assert f'<a href="/campaigns/{statement.pk}/">Fictional statement of support</a>' in recent
    assert not HEX8.search(_visible(recent))


@pytest.fixture
def protection(users, canary):
    """A documenter's protection case and action, a coordinator's fund and two grants; the
    canary only in the encrypted identity fields."""
    owner = users["documenter"]
    with as_user(owner):
        case = cases.open_case(owner, beneficiary_name=canary, threats="Fictional threats")
        action = cases.add_action(owner, case, kind="legal_aid", due="2026-02-01")
    boss = users["coordinator"]
    with as_user(boss):
        fund = funds.create_fund(boss, name="Fictional Solidarity Fund")
        grant = funds.record_grant(
            boss, fund, case=case, amount="1200", date="2026-01-05", purpose="legal_fees"
        )
        named = funds.record_grant(
            boss,
            fund,
            beneficiary_name=f"{canary} senior",
            amount="300",
            date="2026-01-07",
            purpose="family",
        )
    return {"case": case, "action": action, "fund": fund, "grant": grant, "named": named}


@pytest.fixture
def user_prefix() -> str:
    return "fictional-titles-"


@pytest.fixture
def canary() -> str:
    return "Fictionalia Canarevich 7d41c0"


def test_home_names_a_protection_case_by_its_pseudonym_only(users, protection, canary):
    page = login_verified(Client(), users["coordinator"]).get("/").content.decode()
    recent = _recent(page)
    case, fund = protection["case"], protection["fund"]
    p = case.pseudonym
    assert f'<a href="/protection/cases/{case.pk}/">Case {p}</a>' in recent, _visible(recent)
    assert f'<a href="/protection/cases/{case.pk}/">Legal aid for Case {p}</a>' in recent
    assert f'<a href="/protection/funds/{fund.pk}/">Fictional Solidarity Fund</a>' in recent
    grant, named = protection["grant"], protection["named"]
    assert (
        f'<a href="/protection/funds/{fund.pk}/">'
        f"Grant {grant.reference} from Fictional Solidarity Fund for Case {p}</a>"
    ) in recent
    assert (
        f"Grant {named.reference} from Fictional Solidarity Fund for beneficiary "
        f"B-{named.number:04d}</a>"
    ) in recent
    assert canary not in page
    assert not HEX8.search(_visible(recent))


def test_a_change_to_a_record_the_user_may_not_view_shows_the_kind_alone(viewer, users):
    with change_context("test", detail="hidden"):
        hidden = Person.objects.create(
            display_name="Fictional Arcana Secreta", confidentiality="secret"
        )
    version = Version.objects.get(model="records.person", object_id=hidden.pk)
    [seen] = _titled(viewer, [describe(version)])
    assert (seen.title, seen.url, seen.hint) == ("", None, "")
    [admin_seen] = _titled(users["admin"], [describe(version)])
    assert admin_seen.title == "Fictional Arcana Secreta"
    assert admin_seen.url == f"/persons/{hidden.pk}/"


def test_a_hidden_person_lends_no_name_to_a_citation_the_user_may_view(
    viewer_client, fictional_case
):
    with change_context("test", detail="hidden person"):
        hidden = Person.objects.create(
            display_name="Fictional Occulta Victima", confidentiality="secret"
        )
        # An act follows its victim (hidden with them); a citation follows only its source.
        act = Act.objects.create(
            event=fictional_case.event,
            act_type_id=term("act_type", "arrest"),
            victim_person=hidden,
            date=dt.date(2022, 5, 4),
        )
        Information.objects.create(
            source=fictional_case.person_source,
            target_type=ContentType.objects.get_for_model(Person),
            target_id=hidden.pk,
        )
    page = viewer_client.get("/").content.decode()
    recent = _recent(page)
    assert "Fictional Occulta Victima" not in page
    assert str(hidden.pk) not in page and str(act.pk) not in page
    # The citation of the hidden person: the source's title, no link to the person.
    assert '<th scope="row">Fictional profile page</th>' in recent, _visible(recent)


def test_home_page_queries_stay_bounded_whatever_the_kinds_of_its_changes(
    viewer_client, fictional_case, protection, django_assert_max_num_queries
):
    c = fictional_case
    with change_context("test", detail="many kinds"):
        Case.objects.create(title="Fictional case counted")
        Statement.objects.create(title="Fictional statement counted")
        Event.objects.create(title="Fictional event counted", date=dt.date(2024, 1, 1))
    _resave(c.victim, c.judge, c.event, c.sentence, c.arrest, c.act_source)
    viewer_client.get("/")  # warm the process-wide caches (vocabulary, probes)
    with django_assert_max_num_queries(40) as counted:
        page = viewer_client.get("/").content.decode()
    assert len(HEX8.findall(_visible(_recent(page)))) == 0
    few = len(counted.captured_queries)
    # Fifteen changes to acts cost what a few do: one batch per kind, not a query per row.
    _resave(*([c.sentence, c.arrest, c.appeal] * 5))
    # The writes moved the record's counts: the first page counts them again (within the same
    # bound), the next reads them kept (``records.count_changes``), as the page measured above.
    with django_assert_max_num_queries(40):
        viewer_client.get("/")
    with django_assert_max_num_queries(few) as again:
        viewer_client.get("/")
    assert len(again.captured_queries) <= few


def test_home_in_belarusian_names_records_in_belarusian(viewer_client, users, protection):
    client = login_verified(Client(), users["coordinator"])
    recent = _recent(client.get("/", HTTP_ACCEPT_LANGUAGE="be").content.decode())
    p = protection["case"].pseudonym
    assert f"Справа {p}</a>" in recent
    grant = protection["grant"].reference
    assert f"Грант {grant} з фонду «Fictional Solidarity Fund» — Справа {p}</a>" in recent
    assert "Case P-" not in recent
    assert "Grant G-" not in recent and " for " not in _visible(recent)
    assert "Legal aid" not in recent


# Versioned kinds with no readable label of their own: a stored estimate, a stored list and a
# link run are named by their page (not a record page), a merge by the two persons it joined.
UNNAMED = {
    "counting.storedestimate",
    "counting.personlist",
    "counting.linkrun",
    "records.personmerge",
}


def test_every_record_kind_a_history_can_show_is_named_or_listed_as_unnamed():
    from vigil.core.models import VigilModel
    from vigil.core.titles import has_titles
    from vigil.policy.registry import record_models

    labels = {m._meta.label_lower for m in record_models() if issubclass(m, VigilModel)}
    assert UNNAMED <= labels
    assert {label for label in labels if not has_titles(label)} == UNNAMED


def test_a_long_source_title_is_cut_at_a_word_end_with_a_mark():
    from vigil.records.titles import SOURCE_CHARS, _shortened

    title = "Belarus: lawyers defending political prisoners at risk of disbarment"
    short = _shortened(title, SOURCE_CHARS)
    assert short == "Belarus: lawyers defending political…"
    assert len(short) <= SOURCE_CHARS
    assert _shortened("Fictional court record", SOURCE_CHARS) == "Fictional court record"
    assert _shortened("x" * 60, SOURCE_CHARS) == "x" * (SOURCE_CHARS - 1) + "…"


def _title_of(user, model: str, pk) -> tuple[str, str | None]:
    [seen] = _titled(user, [describe(Version.objects.get(model=model, object_id=pk))])
    return seen.title, seen.url


def test_a_hearing_is_named_by_its_case_and_day_for_whoever_may_view_the_case(viewer, users):
    with change_context("test", detail="secret case"):
        case = Case.objects.create(title="Fictional secret case", confidentiality="secret")
        hearing = Hearing.objects.create(case=case, date=dt.date(2025, 3, 4))
    assert _title_of(users["admin"], "solidarity.hearing", hearing.pk) == (
        "Hearing of Fictional secret case, 4 March 2025",
        f"/monitoring/hearings/{hearing.pk}/",
    )
    # A hearing follows its case: a user who may not view the case is told nothing of it.
    assert _title_of(viewer, "solidarity.hearing", hearing.pk) == ("", None)


def test_a_coding_is_named_by_its_standard_and_act_and_opens_the_acts_coding(
    viewer, users, fictional_case
):
    from tests.policy.factories import violation_coding

    with change_context("test", detail="coding"):
        coding = violation_coding("internal")
        act = coding.act
    title, url = _title_of(viewer, "responses.violationcoding", coding.pk)
    [act_seen] = _titled(
        viewer, [describe(Version.objects.get(model="records.act", object_id=act.pk))]
    )
    assert title == f"{coding.standard} for {act_seen.title}" and act_seen.title
    assert url == f"/responses/acts/{act.pk}/coding/"
    # An act the user may not view lends nothing: the coding is not named.
    with change_context("test", detail="hide the act"):
        Act.objects.filter(pk=act.pk).update(confidentiality="secret")
    assert _title_of(viewer, "responses.violationcoding", coding.pk) == ("", None)


def test_a_protection_action_is_named_by_its_kind_and_the_cases_pseudonym(users, protection):
    action = protection["action"]
    title, url = _title_of(users["documenter"], "protection.protectionaction", action.pk)
    case = action.case
    assert title == f"Legal aid for Case {case.pseudonym}"
    assert url == f"/protection/cases/{case.pk}/"
    # A user who may not view the case gets no title for its action.
    assert _title_of(users["viewer"], "protection.protectionaction", action.pk) == ("", None)
