"""The shipped vocabularies against the HURIDOCS micro-thesauri in the shared sample data."""

from __future__ import annotations

import csv
from pathlib import Path
from types import ModuleType

import pytest

from vigil.records.vocabularies import load, vocabularies

COMPLETE_LISTS = {
    "involvement_degree": "18",
    "source_reliability": "42",
    "intervention_type": "20",
    "intervention_status": "45",
    "chain_relation": "22",
}


@pytest.fixture
def microthesauri(shared_data: Path) -> dict[str, dict[str, str]]:
    """Rows of microthesauri.csv by vocab_number."""
    with (shared_data / "huridocs" / "microthesauri.csv").open(encoding="utf-8") as fh:
        return {row["vocab_number"]: row for row in csv.DictReader(fh)}


def test_every_huridocs_code_exists_with_the_same_english_label(
    microthesauri: dict[str, dict[str, str]],
) -> None:
    checked = 0
    for vocabulary in vocabularies():
        for term in load(vocabulary).values():
            if term.huridocs_code is None:
                continue
            row = microthesauri.get(term.code)
            assert row is not None, f"{vocabulary}.{term.key}: {term.code} not in HURIDOCS"
            assert term.label_en == row["english"].strip(), f"{vocabulary}.{term.key}"
            assert term.source == f"HURIDOCS mt_{row['list_code']}"
            checked += 1
    assert checked > 100


@pytest.mark.parametrize(("vocabulary", "list_code"), sorted(COMPLETE_LISTS.items()))
def test_vocabulary_holds_every_term_of_its_huridocs_list(
    vocabulary: str, list_code: str, microthesauri: dict[str, dict[str, str]]
) -> None:
    wanted = {n for n, row in microthesauri.items() if row["list_code"] == list_code}
    assert wanted
    assert wanted - {t.code for t in load(vocabulary).values()} == set()


def test_huridocs_hierarchy_is_kept_where_both_ends_are_shipped(
    microthesauri: dict[str, dict[str, str]],
) -> None:
    terms = load("involvement_degree")
    by_code = {t.code: t.key for t in terms.values()}
    for term in terms.values():
        parent = microthesauri[term.code]["parent_vocab_number"]
        assert term.parent == by_code.get(parent), term.key


def test_build_script_reproduces_the_shipped_files(
    shared_data: Path, build_vocab: ModuleType
) -> None:
    built = build_vocab.build(
        build_vocab.read_sources(build_vocab.TERMS_FILE),
        build_vocab.read_huridocs(shared_data / "huridocs"),
    )
    assert build_vocab.differences(built, build_vocab.OUT_DIR) == []


def test_build_check_reports_a_hand_edited_file(
    shared_data: Path, build_vocab: ModuleType, tmp_path: Path
) -> None:
    args = [str(shared_data / "huridocs"), "--out", str(tmp_path)]
    assert build_vocab.main(args) == 0
    assert build_vocab.main([*args, "--check"]) == 0
    edited = tmp_path / "act_type.csv"
    edited.write_text(edited.read_text("utf-8").replace("Арышт", "Арешт"), encoding="utf-8")
    (tmp_path / "stray.csv").write_text("key\n", encoding="utf-8")
    assert build_vocab.main([*args, "--check"]) == 1
    built = build_vocab.build(
        build_vocab.read_sources(build_vocab.TERMS_FILE),
        build_vocab.read_huridocs(shared_data / "huridocs"),
    )
    assert build_vocab.differences(built, tmp_path) == ["act_type.csv", "stray.csv"]
