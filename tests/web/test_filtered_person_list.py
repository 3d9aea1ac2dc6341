"""The person list filtered by custody and acts: the same persons in the same order whichever
SQL reads them, equal to the definition, hidden acts never showing through, and a count that
stops at its cap and says so (issue 14 §2).

The definition: the persons the user may view, whose custody derived from the acts the user
may view (``records.custody``) is the state asked for, and who are the victim of at least one
act the user may view matching every act filter; sorted by name, then id. Without a custody
filter: the persons the user may view who are the victim of such an act.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import QueryDict
from django.test import Client

from tests.module_data import built_once
from tests.record_acts import act_of
from tests.records.test_custody_store import _colony
from vigil.accounts.models import User
from vigil.accounts.testing import login_verified
from vigil.core.context import change_context
from vigil.policy.access import exact_ceiling, restrict
from vigil.records import act_victims, custody_filter
from vigil.records.act_queries import matching_acts
from vigil.records.custody import Custody, custody_by_person
from vigil.records.custody_store import state_filter
from vigil.records.models import (
    Act,
    ActCharge,
    Event,
    LegalProvision,
    Organisation,
    Person,
    StoredCustody,
    Term,
)
from vigil.web import listing, lists
from vigil.web.lists import PERSONS

pytestmark = pytest.mark.django_db
D = dt.date
SINCE_2023 = {"act_type": Term.pk_for("act_type", "sentence"), "date_from": D(2023, 1, 1)}
SINCE_2023_QUERY = {"act_type": "sentence", "date_from": "2023-01-01"}
STATES = [c.value for c in Custody]


def _person(name: str, level: str = "internal") -> Person:
    return Person.objects.create(display_name=name, confidentiality=level, is_synthetic=True)


def _record() -> None:
    """Persons at every custody edge the filter meets, two of them with the same name."""
    for twin in ("Fictional Alpha Twin", "Fictional Alpha Twin"):
        held = _person(twin)  # in custody, sentenced since 2023: matches
        act_of(held, "arrest", D(2023, 2, 1))
        act_of(held, "sentence", D(2023, 6, 1), **_colony(1200))
    earlier = _person("Fictional Beta Earlier")  # in custody, sentenced before 2023
    act_of(earlier, "arrest", D(2021, 2, 1))
    act_of(earlier, "sentence", D(2022, 6, 1), **_colony(1200))
    secret = _person("Fictional Gamma Secret")  # public arrest; secret sentence and release
    act_of(secret, "arrest", D(2023, 1, 10), "public")
    act_of(secret, "sentence", D(2023, 3, 1), "secret", **_colony(1200))
    act_of(secret, "release", D(2023, 5, 1), "secret")
    restricted = _person("Fictional Delta Restricted Event")  # acts in a restricted event
    event = Event.objects.create(title="Fictional closed trial", confidentiality="restricted")
    act_of(restricted, "arrest", D(2023, 1, 5), "internal", event=event)
    act_of(restricted, "sentence", D(2023, 9, 1), "internal", event=event, **_colony(1200))
    ended = _person("Fictional Epsilon Term Ended")  # 12 months from 2023: term ended
    act_of(ended, "arrest", D(2023, 1, 3))
    act_of(ended, "sentence", D(2023, 4, 1), **_colony(12))
    hidden = _person("Fictional Zeta Restricted Person", "restricted")  # the person is hidden
    act_of(hidden, "arrest", D(2023, 2, 2), "restricted")
    act_of(hidden, "sentence", D(2024, 2, 2), "restricted", **_colony(1200))
    deleted = _person("Fictional Eta Deleted Sentence")  # the only recent sentence is deleted
    act_of(deleted, "arrest", D(2022, 2, 2))
    act_of(deleted, "sentence", D(2024, 2, 2), **_colony(1200)).soft_delete("fictional: an error")
    freed = _person("Fictional Theta Released")  # sentenced since 2023, then released
    act_of(freed, "arrest", D(2023, 2, 2))
    act_of(freed, "sentence", D(2023, 7, 1), **_colony(1200))
    act_of(freed, "release", D(2024, 7, 1))
    _acts_at_a_court()


COURT = "Fictional Filter Court"
ARTICLE = "999"


def _acts_at_a_court() -> None:
    """Acts the court, provision and review filters find, some of them hidden."""
    court = Organisation.objects.create(
        display_name=COURT, kind_id=Term.pk_for("organisation_kind", "court")
    )
    provision = LegalProvision.objects.create(code="criminal", article=ARTICLE, part="1")
    heard = _person("Fictional Iota Court Hearing")  # a visible act at the court, charged
    act = act_of(heard, "arrest", D(2022, 3, 1), place=court, review_note="as written: 999")
    ActCharge.objects.create(act=act, provision=provision)
    secret = _person("Fictional Kappa Secret Court")  # its only such act is secret
    act = act_of(secret, "arrest", D(2022, 4, 1), "secret", place=court, review_note="secret")
    ActCharge.objects.create(act=act, provision=provision, confidentiality="secret")
    charged = _person("Fictional Lambda Secret Charge")  # a visible act, a secret charge
    act = act_of(charged, "arrest", D(2022, 5, 1))
    ActCharge.objects.create(act=act, provision=provision, confidentiality="secret")
    # The checks the list leaves to its own query: a visible act (and charge) of a secret
    # person, and a visible charge on a secret act.
    hidden = _person("Fictional Mu Secret Victim", "secret")
    act = act_of(hidden, "arrest", D(2022, 3, 2), event=_open_event(), place=court)
    ActCharge.objects.create(act=act, provision=provision)
    covered = _person("Fictional Nu Secret Act")
    act = act_of(covered, "arrest", D(2022, 3, 3), "secret", place=court)
    ActCharge.objects.create(act=act, provision=provision)


def _open_event() -> Event:
    return Event.objects.create(title="Fictional open hearing", confidentiality="internal")


@pytest.fixture(scope="module")
def _record_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with built_once(django_db_blocker), change_context("test", detail="filtered list"):
        _record()
        yield


@pytest.fixture
def people(_record_once: None, db: None) -> dict[str, User]:
    return {
        role: User.objects.get_or_create(username=f"fictional-filter-{role}", role=role)[0]
        for role in ("viewer", "analyst", "admin")
    }


def _definition(user: User, status: str, data: dict[str, Any]) -> list[Any]:
    """The persons the definition gives, in the list's order (name, then id)."""
    derived = custody_by_person(restrict(user, "view", Act.objects.all()))
    victims = set(matching_acts(user, data).values_list("victim_person_id", flat=True))
    persons = restrict(user, "view", Person.objects.all()).order_by("display_name", "id")
    return [
        p.pk
        for p in persons
        if p.pk in victims
        and (derived[p.pk].status.value if p.pk in derived else Custody.UNKNOWN.value) == status
    ]


def _listed(user: User, status: str, data: dict[str, Any], rows_in_order: int | None) -> list[Any]:
    persons = restrict(user, "view", Person.objects.all())
    acts, listed = lists._acts_both_ways(user, data)  # the acts the list reads (victims unchecked)
    found = custody_filter.custody_with_acts(user, persons, status, acts, rows_in_order, listed)
    return list(found.order_by("display_name", "id").values_list("pk", flat=True))


@pytest.fixture
def name_scan_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the scan by name pay on any data (SQLite: the drive chosen at 100k persons)."""
    monkeypatch.setattr(custody_filter, "FEW_CANDIDATES", 0)
    monkeypatch.setattr(custody_filter, "SCAN_COST", 0)


@pytest.fixture
def acts_drive_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the matching acts' victims drive on any data (SQLite: a sparse act filter)."""
    monkeypatch.setattr(custody_filter, "FEW_CANDIDATES", 0)
    monkeypatch.setattr(custody_filter, "SPARSE_ACTS", 10**9)


@pytest.mark.parametrize("role", ["viewer", "analyst", "admin"])
@pytest.mark.parametrize("drive", ["by custody", "by name", "by acts"])
def test_the_filtered_list_is_the_definition_whichever_sql_reads_it(people, role, drive, request):  # type: ignore[no-untyped-def]
    if drive == "by name":
        request.getfixturevalue("name_scan_always")
    if drive == "by acts":
        request.getfixturevalue("acts_drive_always")
    user = people[role]
    charged = {"provision": LegalProvision.objects.get(article=ARTICLE)}  # probed per act
    for data in (SINCE_2023, charged):
        for status in STATES:
            wanted = _definition(user, status, data)
            rows = 25 if drive == "by name" else None
            assert _listed(user, status, data, rows) == wanted, (status, data)


def test_the_definition_here_holds_the_edge_cases(people):
    names = {p.pk: p.display_name for p in Person.all_objects.all()}

    def held(role: str) -> list[str]:
        return [names[pk] for pk in _definition(people[role], "in_custody", SINCE_2023)]

    # The twins in name order; Gamma's sentence is secret (only the admin sees it, and its
    # secret release with it); Delta's acts sit in a restricted event; Zeta is restricted.
    assert held("viewer") == ["Fictional Alpha Twin", "Fictional Alpha Twin"]
    assert held("analyst") == [
        "Fictional Alpha Twin",
        "Fictional Alpha Twin",
        "Fictional Delta Restricted Event",
        "Fictional Zeta Restricted Person",
    ]
    assert "Fictional Gamma Secret" not in held("admin")
    ended = _definition(people["viewer"], "term_ended_release_not_recorded", SINCE_2023)
    assert [names[pk] for pk in ended] == ["Fictional Epsilon Term Ended"]


def test_every_page_past_the_cap_lists_the_definition(people, name_scan_always, monkeypatch):  # type: ignore[no-untyped-def]
    # One row a page and a cap of one: every page is past the cap, so the page is read in name
    # order (on SQLite) while the count stays on the stored custody's plan.
    monkeypatch.setattr(listing, "COUNT_CAP", 1)
    monkeypatch.setattr(listing, "PAGE_SIZE", 1)
    for role in ("viewer", "analyst"):
        wanted = _definition(people[role], "in_custody", SINCE_2023)
        shown = []
        for number in range(1, len(wanted) + 1):
            query = QueryDict(
                f"act_type=sentence&date_from=2023-01-01&custody=in_custody&page={number}"
            )
            page = listing.list_page(PERSONS, people[role], query)
            shown += [row.person.pk for row in page.rows]
            assert page.page.paginator.more is (number < len(wanted)), (role, number)
        assert shown == wanted, role


def test_a_count_past_the_cap_says_more_than_the_cap(people, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(listing, "COUNT_CAP", 1)
    monkeypatch.setattr(listing, "PAGE_SIZE", 1)  # the cap is never below the page asked for
    client = login_verified(Client(), people["analyst"])
    html = client.get("/persons/", {"custody": "in_custody", **SINCE_2023_QUERY}).content.decode()
    assert "More than 1 person in this view." in html
    assert "records in this view" not in html
    assert "Page 1 of 2 or more" in html
    monkeypatch.setattr(listing, "COUNT_CAP", 1000)
    html = client.get("/persons/", {"custody": "in_custody", **SINCE_2023_QUERY}).content.decode()
    assert "4 records in this view." in html
    assert "More than" not in html


def test_a_page_past_the_cap_is_still_reachable(people, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(listing, "COUNT_CAP", 1)
    monkeypatch.setattr(listing, "PAGE_SIZE", 1)
    query = QueryDict("act_type=sentence&date_from=2023-01-01&custody=in_custody&page=3")
    page = listing.list_page(PERSONS, people["analyst"], query)
    wanted = _definition(people["analyst"], "in_custody", SINCE_2023)
    assert page.page.number == 3
    assert [row.person.pk for row in page.rows] == wanted[2:3]
    assert page.page.has_next()


# Act filters without custody ------------------------------------------------------------------


def _act_filters() -> dict[str, dict[str, Any]]:
    """Every act filter of the form, alone and together, dense and sparse on this record."""
    court = Organisation.objects.get(display_name=COURT)
    provision = LegalProvision.objects.get(article=ARTICLE)
    sentence = Term.pk_for("act_type", "sentence")
    return {
        "sentence since 2023": SINCE_2023,
        "arrests": {"act_type": Term.pk_for("act_type", "arrest")},
        "from a day": {"date_from": D(2023, 2, 2)},
        "a span": {"date_from": D(2023, 1, 1), "date_to": D(2023, 3, 1)},
        "until a day": {"date_to": D(2022, 4, 30)},
        "court": {"court": court},
        "court and type": {"court": court, "act_type": sentence},
        "provision": {"provision": provision},
        "needs review": {"needs_review": True},
        "nothing": {"date_from": D(2031, 1, 1)},
    }


def _victims(user: User, data: dict[str, Any]) -> list[Any]:
    """The definition without custody: persons the user may view with an act the user may view
    matching every act filter, by name then id."""
    victims = {a.victim_person_id for a in matching_acts(user, data)}
    persons = restrict(user, "view", Person.objects.all()).order_by("display_name", "id")
    return [p.pk for p in persons if p.pk in victims]


@pytest.mark.parametrize("role", ["viewer", "analyst", "admin"])
@pytest.mark.parametrize(
    "shape", [act_victims.driven_by_acts, act_victims.driven_by_persons], ids=["acts", "persons"]
)
@pytest.mark.parametrize("victims_checked_outside", [False, True], ids=["checked", "by the list"])
def test_an_act_filter_alone_is_the_definition_in_either_shape(  # type: ignore[no-untyped-def]
    people, role, shape, victims_checked_outside
):
    user = people[role]
    persons = restrict(user, "view", Person.objects.all())
    for name, data in _act_filters().items():
        for per_act in (False, True):
            acts = matching_acts(
                user, data, per_act=per_act, of_visible_victims=victims_checked_outside
            )
            found = shape(persons, acts).order_by("display_name", "id")
            assert list(found.values_list("pk", flat=True)) == _victims(user, data), name


def test_the_policy_leaves_out_only_the_checks_the_list_makes(people):  # type: ignore[no-untyped-def]
    user = people["analyst"]
    court = {"court": Organisation.objects.get(display_name=COURT)}
    names = {p.pk: p.display_name for p in Person.all_objects.all()}

    def victims(acts: Any) -> set[str]:
        return {names[pk] for pk in acts.values_list("victim_person_id", flat=True)}

    # Read alone, the acts whose victim check is left to the list include the secret person's
    # visible act: only a query that restricts the persons may use them.
    unchecked = victims(matching_acts(user, court, of_visible_victims=True))
    assert "Fictional Mu Secret Victim" in unchecked
    assert "Fictional Mu Secret Victim" not in victims(matching_acts(user, court))
    # The act check is never left out: a visible charge on a secret act finds nothing.
    charged = {"provision": LegalProvision.objects.get(article=ARTICLE)}
    for per_act in (False, True):
        acts = matching_acts(user, charged, per_act=per_act, of_visible_victims=True)
        assert "Fictional Nu Secret Act" not in victims(acts)
    assert "Fictional Nu Secret Act" in victims(matching_acts(people["admin"], charged))
    # And the list shows neither.
    client = login_verified(Client(), user)
    for query in ({"court": str(court["court"].pk)}, {"provision": str(charged["provision"].pk)}):
        html = client.get("/persons/", query).content.decode()
        assert "Fictional Iota Court Hearing" in html
        assert "Fictional Mu Secret Victim" not in html
        assert "Fictional Nu Secret Act" not in html


def test_a_parent_the_policy_does_not_know_is_refused(people):  # type: ignore[no-untyped-def]
    user = people["analyst"]
    with pytest.raises(ValueError):
        restrict(user, "view", Act.objects.all(), checked_parents=("place",))
    with pytest.raises(ValueError):
        restrict(user, "change", Act.objects.all(), checked_parents=("victim_person",))


_KEYED = [
    "court={court}",
    "provision={provision}",
    "act_type=arrest",
    "date_from=2023-02-02",
    "court={court}&custody=in_custody",
    "provision={provision}&custody=in_custody",
    "act_type=sentence&date_from=2023-01-01&custody=in_custody",
    "custody=in_custody",
]


def _pages_by_key_and_by_filters(
    user: User, views: list[str], sorts: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    # One row a page: every page of every view the count finds whole, read by key and through
    # the filters.
    monkeypatch.setattr(listing, "PAGE_SIZE", 1)
    by_filters = dataclasses.replace(PERSONS, by_keys=None)
    ids = {
        "court": Organisation.objects.get(display_name=COURT).pk,
        "provision": LegalProvision.objects.get(article=ARTICLE).pk,
    }
    for view in views:
        for sort in sorts:
            query = f"{view.format(**ids)}&sort={sort}"
            first = listing.list_page(PERSONS, user, QueryDict(query))
            total = first.page.paginator.count
            assert not first.page.paginator.more
            for number in range(1, total + 1):
                params = QueryDict(f"{query}&page={number}")
                keyed = listing.list_page(PERSONS, user, params)
                filtered = listing.list_page(by_filters, user, params)
                assert [r.person.pk for r in keyed.rows] == [r.person.pk for r in filtered.rows]
                assert keyed.page.paginator.count == filtered.page.paginator.count == total


def test_a_page_read_by_the_counted_keys_is_the_page_the_filters_give(people, monkeypatch):  # type: ignore[no-untyped-def]
    views = ["court={court}&custody=in_custody", "provision={provision}", "custody=in_custody"]
    _pages_by_key_and_by_filters(people["analyst"], views, ("name", "-updated"), monkeypatch)


@pytest.mark.slow
@pytest.mark.parametrize("role", ["viewer", "analyst", "admin"])
def test_every_view_read_by_the_counted_keys_is_the_view_the_filters_give(  # type: ignore[no-untyped-def]
    people, role, monkeypatch
):
    sorts = ("name", "-name", "born", "-updated")
    _pages_by_key_and_by_filters(people[role], _KEYED, sorts, monkeypatch)


def test_the_custody_sample_is_taken_by_name_from_both_ends(people, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(custody_filter, "DENSITY_SAMPLE", 4)
    user = people["analyst"]
    level = exact_ceiling(user)
    assert level is not None
    persons = restrict(user, "view", Person.objects.all())
    acts = matching_acts(user, SINCE_2023, per_act=True)
    by_name = list(persons.order_by("display_name", "pk"))
    ends = by_name[:2] + by_name[-2:]
    held = set(
        StoredCustody.objects.filter(state_filter(level, "in_custody")).values_list(
            "person_id", flat=True
        )
    )
    matched = set(acts.values_list("victim_person_id", flat=True))
    wanted = sum(p.pk in held and p.pk in matched for p in ends)
    # The twins sort first, both held and sentenced since 2023: a sample by id would not
    # know that (their ids are random).
    assert [p.display_name for p in ends[:2]] == ["Fictional Alpha Twin"] * 2
    assert custody_filter._sampled_density(level, persons, "in_custody", acts) == (4, wanted)
    assert wanted >= 2


def test_hidden_acts_and_charges_never_show_a_person(people):  # type: ignore[no-untyped-def]
    names = {p.pk: p.display_name for p in Person.all_objects.all()}
    filters = _act_filters()

    def found(role: str, name: str) -> list[str]:
        return [names[pk] for pk in _victims(people[role], filters[name])]

    # Kappa's only act at the court is secret; Lambda's charge is secret; the review notes
    # are on Iota's visible act and Kappa's secret one.
    for name in ("court", "provision", "needs review"):
        assert found("analyst", name) == ["Fictional Iota Court Hearing"], name
    assert "Fictional Kappa Secret Court" in found("admin", "court")
    assert found("analyst", "nothing") == []


@pytest.fixture(params=["acts", "persons"])
def act_drive(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Make one shape the cheaper on any data (on SQLite; PostgreSQL keeps the acts')."""
    cheap = "PROBE_COST" if request.param == "persons" else "ACT_COST"
    dear = "ACT_COST" if request.param == "persons" else "PROBE_COST"
    monkeypatch.setattr(act_victims, cheap, 0)
    monkeypatch.setattr(act_victims, dear, 1)
    monkeypatch.setattr(act_victims, "FEW_PERSONS", 0)  # estimate even on a short list
    return str(request.param)


@pytest.mark.parametrize("sort", ["-name", "born"])  # by name (its index), and otherwise
def test_every_page_of_an_act_filter_lists_the_definition(people, act_drive, sort, monkeypatch):  # type: ignore[no-untyped-def]
    # One row a page and a cap of one: the count stops at its cap and every later page is read
    # in the SQL chosen for a page past it, in each sort of the list.
    monkeypatch.setattr(listing, "COUNT_CAP", 1)
    monkeypatch.setattr(listing, "PAGE_SIZE", 1)
    order = listing.ordering(PERSONS, sort)
    user = people["analyst"]
    for query in ("act_type=arrest", "date_from=2023-02-02"):
        form = PERSONS.form_class(QueryDict(query), user=user)  # type: ignore[call-arg]
        assert form.is_valid()
        listed = Person.objects.filter(pk__in=_victims(user, form.cleaned_data))
        wanted = list(listed.order_by(*order).values_list("pk", flat=True))
        shown = []
        for number in range(1, len(wanted) + 1):
            params = QueryDict(f"{query}&sort={sort}&page={number}")
            page = listing.list_page(PERSONS, user, params)
            shown += [row.person.pk for row in page.rows]
            assert page.page.paginator.more is (number < len(wanted)), (query, number)
        assert shown == wanted, query


def test_an_act_filter_counts_the_same_in_either_shape(people, act_drive):  # type: ignore[no-untyped-def]
    client = login_verified(Client(), people["analyst"])
    html = client.get("/persons/", {"act_type": "arrest"}).content.decode()
    wanted = len(_victims(people["analyst"], {"act_type": Term.pk_for("act_type", "arrest")}))
    assert f"{wanted} records in this view." in html


def test_the_share_of_a_sample_chooses_the_shape(people, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(act_victims, "FEW_PERSONS", 0)
    user = people["analyst"]
    persons = restrict(user, "view", Person.objects.all())
    dense = act_victims.estimate(
        persons, matching_acts(user, {"act_type": Term.pk_for("act_type", "arrest")})
    )
    none = act_victims.estimate(persons, matching_acts(user, {"date_from": D(2031, 1, 1)}))
    assert dense.persons == none.persons == persons.count()
    assert dense.matching > 0.5 and none.matching == 0
    # Nobody matches: probing would read every person; a few matching acts cost less.
    assert not none.persons_drive(26)
    # Most match: a page of 25 by name is found after a few dozen probes.
    big = act_victims.Share(100_000, dense.matching)
    assert big.persons_drive(26)
    assert not act_victims.Share(100_000, 0.001).persons_drive(26)
