"""The bulk path of the synthetic generator: counts, honest history, two scripts, search index."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder

from vigil.core.context import change_context
from vigil.core.errors import ValidationFailed
from vigil.core.history import all_versions, history_of, snapshot
from vigil.core.models import VigilModel
from vigil.demo import synthetic
from vigil.records.models import Act, Event, Involvement, Person, PersonName
from vigil.records.names import normalised_name


def _generate(persons: int, **kwargs: Any) -> dict[str, int]:
    with change_context("test", detail="bulk test"):
        return synthetic.generate(persons, **kwargs)


def _as_stored(value: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    return loaded


@pytest.mark.django_db
def test_counts_returned_are_the_rows_written_per_model() -> None:
    counts = _generate(30)
    for label, n in counts.items():
        model = apps.get_model(label)
        assert model.all_objects.filter(is_synthetic=True).count() == n, label
    assert Event.objects.count() == 30  # one prosecution per victim
    victims = Act.objects.values("victim_person_id").distinct().count()
    assert victims == 30
    assert 2.0 <= Act.objects.count() / victims <= 4.0


@pytest.mark.django_db
def test_every_person_has_a_primary_latin_name_and_a_cyrillic_name() -> None:
    _generate(25)
    scripts: dict[Any, Counter[str]] = {}
    for name in PersonName.objects.all():
        scripts.setdefault(name.person_id, Counter())[name.script] += 1
        assert name.normalised == normalised_name(name.value)
        assert name.is_primary == (name.script == "Latn")
    persons = Person.objects.all()
    assert persons.count() > 25
    for person in persons:
        assert scripts[person.pk] == Counter({"Latn": 1, "Cyrl": 1})
        latin = person.names.get(script="Latn")
        assert person.display_name == latin.value


@pytest.mark.django_db
def test_bulk_history_is_the_history_a_single_save_writes() -> None:
    _generate(15)
    models = [m for m in apps.get_models() if issubclass(m, VigilModel)]
    checked = 0
    for model in models:
        for obj in model.all_objects.filter(is_synthetic=True)[:5]:
            version = history_of(obj).get()  # derived from the batch: what every reader sees
            assert obj.version == 1
            assert version.version == 1
            assert version.action == "create"
            assert version.changed == []
            assert version.context_kind == "test"
            assert version.context_detail == "bulk test"
            assert version.at == obj.created_at == obj.updated_at
            assert version.snapshot == _as_stored(snapshot(obj)), model
            checked += 1
    assert checked > 30


@pytest.mark.django_db
def test_every_sentence_has_a_presiding_judge_and_a_legal_provision() -> None:
    _generate(40, index=False)
    sentences = Act.objects.filter(act_type_id="act_type.sentence")
    assert sentences.exists()
    presided = set(
        Involvement.objects.filter(role_id="perpetrator_role.presiding_judge").values_list(
            "act_id", flat=True
        )
    )
    for sentence in sentences:
        assert sentence.pk in presided
        assert sentence.charges.exists()
        assert sentence.sentence_text


def test_refresh_search_index_skips_a_command_that_is_not_registered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    called: list[str] = []
    monkeypatch.setattr(synthetic.management, "get_commands", lambda: {"migrate": "django"})
    monkeypatch.setattr(
        synthetic.management, "call_command", lambda name, **kw: called.append(name)
    )
    assert synthetic.refresh_search_index() is False
    assert called == []


@pytest.mark.django_db
def test_generate_rebuilds_the_search_index_after_writing_the_records(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []

    def rebuild(name: str, **kwargs: Any) -> None:
        assert name == "search-index"
        seen.append(PersonName.objects.count())

    commands = {"search-index": "vigil.search"}
    monkeypatch.setattr(synthetic.management, "get_commands", lambda: commands)
    monkeypatch.setattr(synthetic.management, "call_command", rebuild)
    _generate(5)
    assert len(seen) == 1
    assert seen[0] == PersonName.objects.count() > 10
    _generate(3, seed=7, index=False)
    assert len(seen) == 1


def test_fast_constructor_builds_what_the_keyword_constructor_builds() -> None:
    person = Person(id=uuid.uuid4(), display_name="Ales Testovich", sex="male")
    event = Event(id=uuid.uuid4(), title="Fictional prosecution", date=dt.date(2021, 3, 1))
    cases: list[tuple[type[VigilModel], dict[str, Any]]] = [
        (Person, {"id": person.pk, "display_name": "Ales Testovich", "sex": "male"}),
        (PersonName, {"id": uuid.uuid4(), "person": person, "value": "Алесь", "script": "Cyrl"}),
        (
            Act,
            {
                "id": uuid.uuid4(),
                "event": event,
                "victim_person": person,
                "act_type_id": "act_type.arrest",
                "date": dt.date(2021, 3, 2),
                "sentence_months": Decimal("18.0"),
            },
        ),
    ]
    for model, fields in cases:
        fast, slow = synthetic.maker(model)(**fields), model(**fields)
        assert type(fast) is model
        assert fast._state.adding
        assert snapshot(fast) == snapshot(slow), model
    with pytest.raises(KeyError):
        synthetic.maker(Person)(id=uuid.uuid4(), no_such_field=1)


@pytest.mark.django_db
def test_an_interrupted_run_keeps_whole_batches_and_refuses_its_seed_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    planned: list[int] = []
    real_person = synthetic._person

    def failing_person(*args: Any) -> None:
        planned.append(1)
        if len(planned) == 8:
            raise RuntimeError("interrupted")
        real_person(*args)

    monkeypatch.setattr(synthetic, "BATCH_PERSONS", 5)
    monkeypatch.setattr(synthetic, "_person", failing_person)
    with pytest.raises(RuntimeError, match="interrupted"):
        _generate(20, seed=4)
    assert Event.objects.count() == 5
    assert sum(1 for v in all_versions() if v.model == "records.event") == 5
    with pytest.raises(ValidationFailed, match="seed 4"):
        _generate(20, seed=4)


@pytest.mark.django_db
def test_after_a_bulk_batch_sqlite_plans_on_the_tables_new_sizes() -> None:
    """SQLite's planner knows a table's size only from its statistics: planned on those of an
    empty database, the stored custody refresh of each batch read every act of the relevant
    types (by the type index) instead of the acts of its 500 persons."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip(
            "PostgreSQL analyses a table once it holds ANALYSE_MIN_PAGES pages, past 40 persons "
            "(tests/search/test_statistics_after_load.py)"
        )
    _generate(40, index=False)
    acts = Act.all_objects.count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stat FROM sqlite_stat1 WHERE tbl = 'records_act' AND idx LIKE %s",
            ["records_act_victim_person_id%"],
        )
        stats = [row[0] for row in cursor.fetchall()]
    assert stats and int(stats[0].split()[0]) == acts > 40, stats
