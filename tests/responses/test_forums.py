import pytest

from vigil.core.errors import ValidationFailed
from vigil.records.models import Case
from vigil.responses.forums import record_position, silent_states

from .conftest import person, state


def test_silent_states_lists_governments_with_no_position_on_the_topic(ctx, analyst):
    utopia, erewhon, ruritania = state("Utopia"), state("Erewhon"), state("Ruritania")
    record_position(utopia, "hrc", "statement", session="HRC 99 (fictional)", topic="lawyers")
    record_position(erewhon, "osce", "vote_yes", topic="media")
    silent = silent_states(analyst, topic="lawyers")
    assert [s.state for s in silent] == [erewhon, ruritania]
    assert [s.other_positions for s in silent] == [1, 0]


def test_a_position_about_a_persons_case_counts_as_speaking_about_the_person(ctx, analyst):
    utopia, erewhon = state("Utopia"), state("Erewhon")
    lawyer = person("Advocata Fictiva (fictional)", "lawyer")
    case = Case.objects.create(title="Fictional case")
    case.persons.add(lawyer)
    record_position(utopia, "coe_cm", "statement", cases=[case])
    assert [s.state for s in silent_states(analyst, persons=[lawyer])] == [erewhon]


def test_silent_states_leaves_out_synthetic_governments(ctx, analyst):
    state("Utopia")
    fake = state("Synthetica")
    fake.is_synthetic = True
    fake.save()
    assert [s.state.display_name for s in silent_states(analyst, topic="lawyers")] == ["Utopia"]


def test_record_position_needs_a_subject_and_a_known_forum(ctx):
    utopia = state("Utopia")
    with pytest.raises(ValidationFailed, match="persons, cases or a topic"):
        record_position(utopia, "hrc", "statement")
    with pytest.raises(ValidationFailed, match="unknown forum"):
        record_position(utopia, "narnia", "statement", topic="lawyers")


def test_silent_states_needs_a_topic_or_persons(ctx, analyst):
    with pytest.raises(ValidationFailed):
        silent_states(analyst)
