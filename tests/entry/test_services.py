"""The recording services: one call records a whole arrest or trial, or nothing at all."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.entry.conftest import make_person
from vigil.core.context import change_context
from vigil.core.errors import ConflictError, Forbidden
from vigil.core.models import Version
from vigil.records.custody import Custody, custody_by_person
from vigil.records.date_input import parse_date_input
from vigil.records.entry import (
    ArrestInput,
    EntryError,
    NameInput,
    OrganisationRef,
    PersonInput,
    PersonRef,
    SentenceInput,
    SourceInput,
    TrialInput,
    create_person,
    record_arrest,
    record_trial,
    update_person,
)
from vigil.records.models import (
    Act,
    ActCharge,
    Counsel,
    Event,
    Information,
    Involvement,
    LegalProvision,
    Organisation,
    Person,
    PersonName,
    Source,
)
from vigil.web.profile import timeline_acts

pytestmark = pytest.mark.django_db


def _date(text: str):  # type: ignore[no-untyped-def]
    return parse_date_input(text)


def _trial(**overrides):  # type: ignore[no-untyped-def]
    data = TrialInput(
        victim=PersonRef(
            new=PersonInput(
                names=[NameInput("Ales Testavy"), NameInput("Алесь Тэставы")],
            )
        ),
        date=_date("24.11.2021"),
        arrest_date=_date("August 2021"),
        court=OrganisationRef(name="Fictional District Court"),
        judge=PersonRef.named("Iudex Testovy"),
        prosecutor=PersonRef.named("Accusator Testovy"),
        charges=["Part 2 of Art. 243 of the Criminal Code"],
        sentence=SentenceInput(months=Decimal(54), regime="maximum_colony", text="4.5 years"),
        counsel=[PersonRef.named("Advocata Testova")],
        sources=[
            SourceInput(
                title="Fictional court monitoring note",
                url="https://example.org/fictional",
                source_type="court_record",
                reliability="likely_reliable",
                quote="Sentenced to a fictional term.",
            )
        ],
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def _counts() -> tuple[int, ...]:
    return tuple(
        m.all_objects.count()
        for m in (Person, PersonName, Event, Act, Involvement, Counsel, Source, Information)
    )


def test_create_person_keeps_every_script_and_guesses_script_and_language(documenter):
    with change_context("test", actor=documenter):
        person = create_person(
            documenter,
            PersonInput(
                names=[
                    NameInput("Ales Testavy"),
                    NameInput("Ігар Тэставы"),
                    NameInput("Игорь Тестовый"),
                    NameInput("Алесь Тэставы"),
                ]
            ),
        )
    names = {n.value: n for n in person.names.all()}
    assert person.display_name == "Ales Testavy"
    assert names["Ales Testavy"].script == "Latn" and names["Ales Testavy"].is_primary
    assert (names["Ігар Тэставы"].script, names["Ігар Тэставы"].lang) == ("Cyrl", "be")
    assert (names["Игорь Тестовый"].script, names["Игорь Тестовый"].lang) == ("Cyrl", "ru")
    # No letter only one of the languages uses: the language stays unknown, not guessed.
    assert (names["Алесь Тэставы"].script, names["Алесь Тэставы"].lang) == ("Cyrl", "")
    assert person.created_by == documenter
    assert Version.objects.filter(object_id=person.pk, action="create").exists()


def test_create_person_without_a_name_names_the_field_and_saves_nothing(documenter):
    before = _counts()
    with change_context("test", actor=documenter), pytest.raises(EntryError) as caught:
        create_person(documenter, PersonInput(names=[NameInput("   ")]))
    assert caught.value.field == "names"
    assert _counts() == before


def test_record_trial_saves_event_acts_perpetrators_counsel_charges_and_sources(documenter):
    with change_context("test", actor=documenter):
        recorded = record_trial(documenter, _trial())
    kinds = [a.act_type.key for a in recorded.acts]
    assert kinds == ["arrest", "trial", "sentence"]
    trial, sentence = recorded.acts[1], recorded.acts[2]
    assert trial.place.display_name == "Fictional District Court"
    assert trial.place.kind_id == "organisation_kind.court"
    roles = {
        (i.act.act_type.key, i.role.key, i.perpetrator_person.display_name)
        for i in Involvement.objects.filter(act__event=recorded.event)
    }
    assert roles == {
        ("trial", "judge", "Iudex Testovy"),
        ("sentence", "judge", "Iudex Testovy"),
        ("trial", "prosecutor", "Accusator Testovy"),
    }
    assert sentence.sentence_months == Decimal(54)
    assert sentence.sentence_regime_id == "detention_regime.maximum_colony"
    charge = ActCharge.objects.get(act=sentence)
    assert (charge.provision.article, charge.provision.part) == ("243", "2")
    assert Counsel.objects.get(act=trial).lawyer.display_name == "Advocata Testova"
    cited = set(Information.objects.values_list("target_id", flat=True))
    assert cited == {recorded.event.pk, *(a.pk for a in recorded.acts)}
    assert recorded.event.date == dt.date(2021, 8, 1)
    assert recorded.event.date_precision == "month"
    assert all(r.created_by_id == documenter.pk for r in recorded.created)
    assert all(r.confidentiality == "internal" for r in recorded.created)


def test_recorded_trial_shows_in_timeline_and_custody(documenter):
    with change_context("test", actor=documenter):
        recorded = record_trial(documenter, _trial())
    # The person page's timeline, as the documenter reads it.
    acts = timeline_acts(documenter, recorded.victim)
    kinds = [act.act_type.key for act in acts]
    # Same-day trial and sentence: their order is the timeline's (custody.ORDER) to decide.
    assert kinds[0] == "arrest" and sorted(kinds[1:]) == ["sentence", "trial"]
    act_type = ContentType.objects.get_for_model(Act)
    cited = Information.objects.filter(target_type=act_type)
    assert set(cited.values_list("target_id", flat=True)) >= {act.pk for act in acts}
    acts = Act.objects.filter(victim_person=recorded.victim)
    during = custody_by_person(acts, today=dt.date(2022, 1, 1))
    assert during[recorded.victim.pk].status is Custody.IN_CUSTODY
    # 54 months from the August 2021 arrest ended in February 2026.
    assert custody_by_person(acts)[recorded.victim.pk].status is Custody.TERM_ENDED


def test_a_bad_charge_names_the_field_and_leaves_no_rows(documenter):
    before = _counts()
    with change_context("test", actor=documenter), pytest.raises(EntryError) as caught:
        record_trial(documenter, _trial(charges=["not a citation at all"]))
    assert caught.value.field == "charges"
    assert "citation" in caught.value.message
    assert _counts() == before
    assert not Organisation.objects.filter(display_name="Fictional District Court").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": None}, "date"),
        ({"judge_role": "astrologer"}, "judge_role"),
        ({"sentence": SentenceInput(months=Decimal(-1))}, "sentence_months"),
        ({"sentence": SentenceInput(regime="luxury_resort")}, "sentence_regime"),
        ({"victim": PersonRef()}, "victim"),
        ({"victim": PersonRef(new=PersonInput(names=[]))}, "victim"),
        ({"judge": PersonRef(new=PersonInput(names=[NameInput("x" * 301)]))}, "judge"),
        ({"sources": [SourceInput(url="https://example.org/x")]}, "sources-0-title"),
        ({"sources": [SourceInput(title="T", source_type="rumour")]}, "sources-0-source_type"),
        ({"confidentiality": "public"}, "confidentiality"),
        ({"confidentiality": "top-secret"}, "confidentiality"),
    ],
)
def test_every_bad_field_is_named_and_nothing_is_saved(documenter, overrides, field):
    before = _counts()
    with change_context("test", actor=documenter), pytest.raises(EntryError) as caught:
        record_trial(documenter, _trial(**overrides))
    assert caught.value.field == field
    assert caught.value.message
    assert _counts() == before


def test_a_hidden_victim_looks_like_a_missing_one(documenter, other_documenter):
    hidden = make_person("Secreta Testova", level="restricted", actor=other_documenter)
    with change_context("test", actor=documenter):
        with pytest.raises(EntryError) as hidden_error:
            record_trial(documenter, _trial(victim=PersonRef(person_id=hidden.pk)))
        with pytest.raises(EntryError) as missing_error:
            record_trial(documenter, _trial(victim=PersonRef(person_id=Person().pk)))
    assert hidden_error.value.field == missing_error.value.field == "victim"
    assert hidden_error.value.message == missing_error.value.message
    assert not Act.objects.filter(victim_person=hidden).exists()


def test_a_viewer_may_record_nothing(viewer):
    before = _counts()
    with change_context("test", actor=viewer), pytest.raises(Forbidden):
        record_trial(viewer, _trial())
    assert _counts() == before


def test_existing_victim_judge_source_and_provision_are_reused(documenter, testavy):
    with change_context("test", actor=documenter):
        source = Source(title="Fictional earlier report")
        source.save()
        LegalProvision(code="criminal", article="243", part="2").save()
        judge = make_person("Iudex Reusus", actor=documenter)
        recorded = record_trial(
            documenter,
            _trial(
                victim=PersonRef(person_id=testavy.pk),
                judge=PersonRef(person_id=judge.pk),
                sources=[SourceInput(source_id=source.pk, quote="fictional quote")],
            ),
        )
    assert recorded.victim == testavy
    assert LegalProvision.objects.filter(article="243", part="2").count() == 1
    assert Involvement.objects.filter(perpetrator_person=judge).count() == 2
    assert Source.objects.count() == 1
    act_type = ContentType.objects.get_for_model(Act)
    assert Information.objects.filter(source=source, target_type=act_type).count() == 3


def test_a_trial_without_a_sentence_keeps_charges_on_the_trial(documenter):
    with change_context("test", actor=documenter):
        recorded = record_trial(documenter, _trial(sentence=None, arrest_date=None))
    assert [a.act_type.key for a in recorded.acts] == ["trial"]
    assert ActCharge.objects.get().act == recorded.acts[0]


def test_record_arrest_saves_arrest_detention_charge_and_who_arrested(documenter):
    data = ArrestInput(
        victim=PersonRef(new=PersonInput(names=[NameInput("Ales Testavy")])),
        date=_date("5 марта 2021"),
        place="Fictional town",
        agency=OrganisationRef(name="Fictional Security Committee"),
        officer=PersonRef.named("Inquisitor Testovy"),
        detention_place=OrganisationRef(name="Fictional Pre-trial Prison No. 0"),
        charges=["ч. 2 ст. 243 УК"],
        sources=[SourceInput(title="Fictional arrest report")],
    )
    with change_context("test", actor=documenter):
        recorded = record_arrest(documenter, data)
    assert [a.act_type.key for a in recorded.acts] == ["arrest", "detention", "charge"]
    arrest, detention, charge = recorded.acts
    assert arrest.date == dt.date(2021, 3, 5) and arrest.date_precision == "day"
    assert detention.place.display_name == "Fictional Pre-trial Prison No. 0"
    assert detention.place.kind_id == "organisation_kind.prison"
    roles = {i.role.key for i in arrest.involvements.all()}
    assert roles == {"responsible_agency", "investigator"}
    assert ActCharge.objects.get().act == charge
    state = custody_by_person(Act.objects.filter(victim_person=recorded.victim))
    assert state[recorded.victim.pk].status is Custody.IN_CUSTODY


def test_record_arrest_without_detention_or_charges_records_only_the_arrest(documenter):
    data = ArrestInput(victim=PersonRef.named("Ales Testavy"), date=_date("2011"), detained=False)
    with change_context("test", actor=documenter):
        recorded = record_arrest(documenter, data)
    assert [a.act_type.key for a in recorded.acts] == ["arrest"]
    assert recorded.acts[0].date_precision == "year"


def test_update_person_changes_names_and_keeps_history(coordinator, testavy):
    names = list(testavy.names.all())
    latin = next(n for n in names if n.value == "Ales Testavy")
    with change_context("test", actor=coordinator):
        update_person(
            coordinator,
            testavy.pk,
            PersonInput(
                names=[
                    NameInput("Ales Testavy", id=latin.pk, is_primary=True),
                    NameInput("Алесь Тестовый"),
                ],
                birth_date=_date("1980"),
            ),
            version=testavy.version,
        )
    testavy.refresh_from_db()
    live = sorted(testavy.names.values_list("value", flat=True))
    assert live == ["Ales Testavy", "Алесь Тестовый"]
    assert PersonName.all_objects.filter(person=testavy, deleted_at__isnull=False).count() == 1
    assert testavy.birth_date == dt.date(1980, 1, 1) and testavy.birth_date_precision == "year"
    assert Version.objects.filter(object_id=testavy.pk).count() == 2


def test_update_person_from_a_stale_version_is_a_conflict_and_changes_nothing(coordinator, testavy):
    stale = testavy.version
    with change_context("test", actor=coordinator):
        testavy.notes = "changed meanwhile"
        testavy.save()
        with pytest.raises(ConflictError):
            update_person(
                coordinator,
                testavy.pk,
                PersonInput(names=[NameInput("Ales Testavy Renamed")]),
                version=stale,
            )
    testavy.refresh_from_db()
    assert testavy.display_name == "Ales Testavy"
    assert not PersonName.objects.filter(value="Ales Testavy Renamed").exists()


def test_a_documenter_may_not_remove_a_name(documenter):
    person = make_person("Ales Testavy", "Алесь Тэставы", actor=documenter)
    latin = person.names.get(value="Ales Testavy")
    with change_context("test", actor=documenter), pytest.raises(EntryError) as caught:
        update_person(
            documenter,
            person.pk,
            PersonInput(names=[NameInput("Ales Testavy", id=latin.pk)]),
            version=person.version,
        )
    assert caught.value.field == "names"
    assert person.names.count() == 2


def test_a_documenter_may_not_edit_someone_elses_restricted_person(documenter, other_documenter):
    hidden = make_person("Secreta Testova", level="restricted", actor=other_documenter)
    with change_context("test", actor=documenter), pytest.raises(EntryError) as caught:
        update_person(
            documenter, hidden.pk, PersonInput(names=[NameInput("X Y")]), version=hidden.version
        )
    assert caught.value.field == "person"
