import json

import numpy as np
import pytest
from django.core.management import call_command

from tests.counting.eu_lists import odd_half_persons, write_list_pair
from vigil.cli import run
from vigil.core.context import change_context
from vigil.core.errors import ValidationFailed
from vigil.counting.fellegi_sunter import FIELDS, fit_em
from vigil.counting.link import MATCH_PROBABILITY, block, link, pairwise_f1
from vigil.counting.person_lists import ListedPerson, parse_person_list, read_person_list
from vigil.names.thresholds import REVIEW_THRESHOLD


@pytest.fixture
def eu_pair(shared_data, tmp_path):
    truth = write_list_pair(shared_data, tmp_path)
    return read_person_list(tmp_path / "left.csv"), read_person_list(tmp_path / "right.csv"), truth


def test_eu_fixture_reads_only_odd_record_ids(shared_data):
    persons = odd_half_persons(shared_data)
    assert len(persons) > 100
    assert all(int(p[0]) % 2 == 1 for p in persons)


def test_links_belarusian_latin_to_russian_cyrillic_with_f1_at_least_098(eu_pair):
    left, right, truth = eu_pair
    result = link(left, right)
    found = {(p.left, p.right) for p in result.pairs if p.match}
    scores = pairwise_f1(found, truth)
    assert scores["f1"] >= 0.98, scores
    assert result.compared < result.possible / 5  # blocking did its job
    assert result.blocking_recall >= 0.98


def test_every_person_is_matched_at_most_once(eu_pair):
    left, right, truth = eu_pair
    left_id, right_id = sorted(truth)[0]
    original = next(p for p in right if p.id == right_id)
    twin = ListedPerson("R-twin", original.name, original.birth_date, original.sex)
    result = link(left, [*right, twin])
    matched = [p for p in result.pairs if p.match]
    assert len({p.left for p in matched}) == len(matched)
    assert len({p.right for p in matched}) == len(matched)
    assert sum(p.left == left_id and p.match for p in result.pairs) == 1
    assert {p.right for p in result.pairs if p.left == left_id} == {right_id, "R-twin"}


def test_em_learns_that_agreeing_names_and_birth_dates_are_evidence_of_a_match(eu_pair):
    left, right, _ = eu_pair
    model = link(left, right).model
    weights = {f: dict(zip(FIELDS[f], w, strict=True)) for f, w in model.weights().items()}
    assert weights["name"]["close"] > 5 > 0 > weights["name"]["different"]
    assert weights["birth"]["date"] > 0 > weights["birth"]["mismatch"]
    assert 0 < model.match_share < 0.5


def test_a_birth_date_shared_by_different_names_goes_to_review_not_a_match(
    shared_data, tmp_path
):
    # In this draw two different persons on the EU list share a birth date (26.7.1977).
    write_list_pair(shared_data, tmp_path, seed=1)
    left, right = read_person_list(tmp_path / "left.csv"), read_person_list(tmp_path / "right.csv")
    result = link(left, right)
    unlike = [p for p in result.pairs if p.name_score < REVIEW_THRESHOLD]
    assert any(p.probability >= MATCH_PROBABILITY for p in unlike)
    assert not any(p.match for p in unlike)


def test_em_recovers_m_and_u_of_simulated_comparisons():
    rng = np.random.default_rng(5)
    matches, others = 300, 3000
    m = {"name": [0.02, 0.03, 0.15, 0.8], "birth": [0.05, 0.05, 0.2, 0.7], "sex": [0.03, 0.97]}
    u = {"name": [0.9, 0.07, 0.02, 0.01], "birth": [0.85, 0.1, 0.04, 0.01], "sex": [0.5, 0.5]}

    def draw(probabilities, size):
        return np.column_stack(
            [rng.choice(len(p), size=size, p=p) for p in probabilities.values()]
        )

    levels = np.vstack([draw(m, matches), draw(u, others)])
    model, probability = fit_em(levels)
    assert model.match_share == pytest.approx(matches / (matches + others), abs=0.02)
    assert model.m["name"][3] == pytest.approx(0.8, abs=0.06)
    assert model.u["name"][0] == pytest.approx(0.9, abs=0.03)
    assert probability[:matches].mean() > 0.8 > 0.1 > probability[matches:].mean()


def test_blocking_pairs_names_across_scripts_but_not_strangers():
    left = [ListedPerson("1", "Uladzimir NAVUMAU"), ListedPerson("2", "Maryna ZAPASNIK")]
    right = [ListedPerson("a", "Владимир НАУМОВ"), ListedPerson("b", "Пётр СИДОРЕНКО")]
    assert (0, 0) in block(left, right)
    assert (1, 1) not in block(left, right)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("name,sex\nA B,m\n", "line 1: needs the columns id,name"),
        ("id,name\n1,Ivan PETROV\n1,Piotr IVANOU\n", "line 3: id '1' repeats line 2"),
        ("id,name\n1,\n", "line 2: the name is empty"),
        ("id,name,birth_date\n1,Ivan PETROV,soon\n", "line 2: birth_date 'soon' is not a date"),
        ("id,name,sex\n1,Ivan PETROV,x\n", "line 2: sex 'x' is not m/f/male/female"),
        ("id,name\n", "no persons listed"),
    ],
)
def test_bad_person_list_is_refused_naming_the_line_and_reason(text, reason):
    with pytest.raises(ValidationFailed) as raised:
        parse_person_list(text, name="ours.csv")
    assert raised.value.message.startswith("ours.csv: ") and reason in raised.value.message


def test_link_command_prints_one_json_line_per_pair(shared_data, tmp_path, capsys):
    truth = write_list_pair(shared_data, tmp_path)
    with change_context("test"):
        call_command("link", str(tmp_path / "left.csv"), str(tmp_path / "right.csv"), "--json")
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert lines and all(set(x) == {"left", "right", "probability", "match"} for x in lines)
    assert all(0 <= x["probability"] <= 1 for x in lines)
    matched = {(x["left"], x["right"]) for x in lines if x["match"]}
    assert len(matched & truth) >= 0.95 * len(truth)
    assert "possible pairs" in captured.err


def test_link_cli_refuses_a_bad_list_with_exit_2(tmp_path, capsys):
    (tmp_path / "a.csv").write_text("id,name\n1,Ivan PETROV\n")
    (tmp_path / "b.csv").write_text("id,name\n1,Ivan PETROV\n2,\n")
    with pytest.raises(SystemExit) as exited:
        run(["vigil", "link", str(tmp_path / "a.csv"), str(tmp_path / "b.csv")])
    assert exited.value.code == 2
    assert "b.csv: line 3: the name is empty" in capsys.readouterr().err
