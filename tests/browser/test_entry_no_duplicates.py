"""The trial form in Chromium makes no duplicate judge, counsel or arrest (issue 10, items 4-5)."""

import pytest

from tests.browser.helpers import shot, sign_in
from vigil.core.context import change_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _person(name, *others):
    from vigil.records.models import Person, PersonName

    person = Person(display_name=name, is_synthetic=True)
    person.save()
    for i, value in enumerate((name, *others)):
        PersonName(person=person, value=value, is_primary=i == 0).save()
    return person


@pytest.fixture
def recorded(documenter):
    """A fictional judge and lawyer who took part in a trial, and a defendant with an arrest."""
    from vigil.records.date_input import parse_date_input
    from vigil.records.entry import ArrestInput, PersonRef, TrialInput, record_arrest, record_trial

    user = documenter[0]
    with change_context("test", actor=user):
        judge = _person("Maksim Filatau", "Максим Филатов")
        lawyer = _person("Advocata Testova")
        record_trial(
            user,
            TrialInput(
                victim=PersonRef(person_id=_person("Ivan Accusatus").pk),
                date=parse_date_input("2.2.2021"),
                judge=PersonRef(person_id=judge.pk),
                counsel=[PersonRef(person_id=lawyer.pk)],
            ),
        )
        defendant = _person("Ales Testavy")
        arrest = record_arrest(
            user,
            ArrestInput(
                victim=PersonRef(person_id=defendant.pk), date=parse_date_input("10.08.2021")
            ),
        ).acts[0]
    return {"judge": judge, "lawyer": lawyer, "defendant": defendant, "arrest": arrest}


@pytest.fixture
def page(documenter, recorded, live_server, browser, monkeypatch):
    # The assertions read the database while Playwright's loop runs.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    user, password, secret = documenter
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    sign_in(page, live_server.url, user.username, password, secret)
    return page


def _count(name):
    from vigil.records.models import Person

    return Person.objects.filter(display_name=name).count()


def test_typing_a_recorded_judge_and_counsel_chooses_them_and_saves_no_duplicate(
    page, recorded, live_server
):
    judge, lawyer = recorded["judge"], recorded["lawyer"]
    page.goto(live_server.url + "/record/trial/")
    page.fill("#id_victim_name_latn", "Nova Testova")
    page.fill("#id_date", "24.11.2021")
    page.fill("#id_judge_name", "Maksim Filatau")
    page.wait_for_selector(f"#judge-pick-{judge.pk}")
    assert page.is_checked(f"#judge-pick-{judge.pk}")
    assert not page.is_checked("#judge-pick-new")
    assert "Judge" in page.inner_text("#judge-suggestions")
    page.fill("#id_counsel_name", "Advocata Testova")
    page.wait_for_selector(f"#counsel-pick-{lawyer.pk}")
    assert page.is_checked(f"#counsel-pick-{lawyer.pk}")
    shot(page, "record-trial-judge-chosen")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/persons/*/")
    assert "Maksim Filatau" in page.inner_text("main")
    assert _count("Maksim Filatau") == 1 and _count("Advocata Testova") == 1


def test_saving_before_the_suggestions_arrive_asks_instead_of_adding_a_judge(
    page, recorded, live_server
):
    judge = recorded["judge"]
    page.goto(live_server.url + "/record/trial/")
    page.fill("#id_victim_name_latn", "Nova Testova")
    page.fill("#id_date", "24.11.2021")
    page.fill("#id_judge_name", "Maksim Filatau")
    page.click("main form button[type=submit]")  # at once: no time for the warning
    page.wait_for_selector("text=A recorded person has a name like this")
    assert page.is_checked(f"#judge-pick-{judge.pk}")
    assert _count("Maksim Filatau") == 1
    page.click("main form button[type=submit]")
    page.wait_for_url("**/persons/*/")
    assert _count("Maksim Filatau") == 1


def test_a_trial_follows_the_recorded_arrest_and_asks_about_another_date(
    page, recorded, live_server
):
    from vigil.records.models import Act

    defendant, arrest = recorded["defendant"], recorded["arrest"]
    page.goto(f"{live_server.url}/record/trial/?person={defendant.pk}")
    page.fill("#id_date", "24.11.2021")
    page.fill("#id_arrest_date", "March 2022")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#arrest-choice")
    shot(page, "record-trial-arrest-choice")
    page.check(f"#arrest-choice-{arrest.pk}")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/persons/{defendant.pk}/")
    page.goto(f"{live_server.url}/record/trial/?person={defendant.pk}")
    page.fill("#id_date", "1.12.2021")
    page.fill("#id_arrest_date", "10.08.2021")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/persons/{defendant.pk}/")
    arrests = Act.objects.filter(victim_person=defendant, act_type__key="arrest")
    assert list(arrests) == [arrest]
    assert Act.objects.filter(victim_person=defendant, act_type__key="trial").count() == 2
