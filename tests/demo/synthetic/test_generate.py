"""The synthetic demo generator: flagged, fictional, with history, deterministic."""

from __future__ import annotations

import random
import unicodedata

import pytest
from django.apps import apps
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from vigil.core.context import change_context, without_context
from vigil.core.errors import MissingChangeContext, ValidationFailed
from vigil.core.history import all_versions, count_versions
from vigil.core.models import Version, VersionBatch, VigilModel
from vigil.demo.synthetic import generate
from vigil.names.fictional import fictional_names
from vigil.records.models import Act, Involvement, PersonName, Profession


class _Rollback(Exception):
    pass


def _record_models() -> list[type[VigilModel]]:
    return [m for m in apps.get_models() if issubclass(m, VigilModel)]


def _generate(persons: int, **kwargs: object) -> dict[str, int]:
    with change_context("test"):
        return generate(persons, **kwargs)


def _signature() -> list[tuple[object, ...]]:
    names = sorted(PersonName.objects.values_list("id", "value", "script"))
    acts = sorted(
        Act.objects.values_list("id", "act_type_id", "date", "sentence_months", "place_id")
    )
    return names + acts


@pytest.mark.django_db
def test_generate_flags_every_record_it_writes_as_synthetic() -> None:
    counts = _generate(50)
    written = sum(m.all_objects.count() for m in _record_models())
    assert written == sum(counts.values()) > 50
    for model in _record_models():
        assert not model.all_objects.filter(is_synthetic=False).exists(), model


@pytest.mark.django_db
def test_generate_writes_one_version_per_record() -> None:
    counts = _generate(50)
    every = list(all_versions())  # stored and derived from the batches: what readers see
    for label, n in counts.items():
        versions = [v for v in every if v.model == label]
        assert len(versions) == n, label
        assert len({v.object_id for v in versions}) == n, label
    assert len(every) == count_versions() == sum(counts.values())
    assert {(v.action, v.version, v.context_kind) for v in every} == {("create", 1, "test")}


@pytest.mark.django_db
def test_generate_writes_about_acts_per_person_acts() -> None:
    counts = _generate(60, acts_per_person=3.0)
    assert counts["records.person"] > 60  # victims, judges and lawyers
    assert 150 <= counts["records.act"] <= 210
    types = set(Act.objects.values_list("act_type_id", flat=True))
    assert {"act_type.arrest", "act_type.sentence", "act_type.appeal_decision"} <= types
    assert Act.objects.filter(act_type_id="act_type.release").exists()
    sentenced = Act.objects.filter(act_type_id="act_type.sentence")
    assert not sentenced.filter(sentence_months__isnull=True).exists()
    assert not sentenced.filter(charges__isnull=True).exists()


@pytest.mark.django_db
def test_generate_is_deterministic_for_a_seed() -> None:
    signatures = []
    for seed in (5, 5, 6):
        with pytest.raises(_Rollback), transaction.atomic():
            _generate(20, seed=seed)
            signatures.append(_signature())
            raise _Rollback
    assert signatures[0] == signatures[1]
    assert signatures[0] != signatures[2]


@pytest.mark.django_db
def test_generate_refuses_a_seed_already_in_the_database() -> None:
    _generate(3, seed=1)
    with pytest.raises(ValidationFailed, match="seed 1"):
        _generate(3, seed=1)
    assert _generate(3, seed=2)["records.event"] == 3


@pytest.mark.django_db
def test_generate_outside_a_change_context_raises_and_writes_nothing() -> None:
    with without_context(), pytest.raises(MissingChangeContext):
        generate(5)
    assert not Version.objects.exists() and not VersionBatch.objects.exists()


@pytest.mark.django_db
def test_judges_and_prosecutors_are_synthetic_persons_of_their_profession() -> None:
    _generate(40)
    involvements = Involvement.objects.select_related("perpetrator_person")
    assert involvements.exists()
    assert all(i.perpetrator_person.is_synthetic for i in involvements)
    expected = {
        "perpetrator_role.presiding_judge": "profession.judge",
        "perpetrator_role.judge": "profession.judge",
        "perpetrator_role.prosecutor": "profession.prosecutor",
    }
    assert {i.role_id for i in involvements} <= set(expected)
    assert "perpetrator_role.prosecutor" in {i.role_id for i in involvements}
    for involvement in involvements:
        professions = set(
            Profession.objects.filter(person_id=involvement.perpetrator_person_id).values_list(
                "profession_id", flat=True
            )
        )
        assert professions == {expected[involvement.role_id]}


@pytest.mark.django_db
def test_generated_names_are_built_from_the_fictional_list_only() -> None:
    _generate(40)
    names = fictional_names()
    given_names = {g for pair in names.given_male + names.given_female for g in pair}
    stems = {s for pair in names.stems for s in pair}
    for value in PersonName.objects.values_list("value", flat=True):
        given, surname = value.split(" ")
        assert given in given_names
        assert any(surname.startswith(s) for s in stems), value


@pytest.mark.django_db
def test_generated_names_are_not_names_in_the_real_viasna_sample(real_names: set[str]) -> None:
    _generate(100)
    generated = {v.casefold() for v in PersonName.objects.values_list("value", flat=True)}
    assert generated
    assert not generated & real_names


def test_fictional_surname_stems_are_not_in_the_real_viasna_sample(real_names: set[str]) -> None:
    words = {w for name in real_names for w in name.split()}
    for latin, cyrillic in fictional_names().stems:
        assert not any(w.startswith(latin.casefold()) for w in words), latin
        assert not any(w.startswith(cyrillic.casefold()) for w in words), cyrillic


def _script(text: str) -> set[str]:
    return {unicodedata.name(c).split()[0] for c in text if c.isalpha()}


@given(st.integers(min_value=0, max_value=2**32), st.sampled_from(["male", "female"]))
def test_fictional_person_has_a_latin_and_a_cyrillic_two_part_name(seed: int, sex: str) -> None:
    latin, cyrillic = fictional_names().person(random.Random(seed), sex)
    assert len(latin.split()) == len(cyrillic.split()) == 2
    assert _script(latin) == {"LATIN"}
    assert _script(cyrillic) == {"CYRILLIC"}
    female_only = {e[2] for e in fictional_names().endings} - {
        e[0] for e in fictional_names().endings
    }
    if sex == "male":
        assert not any(latin.endswith(e) for e in female_only)
