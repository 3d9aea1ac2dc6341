"""scripts/build_vocab.py on small fictional inputs: merging, parents and error reports."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.records.vocabularies import parse_terms


@pytest.fixture
def huridocs(build_vocab: ModuleType) -> dict[str, Any]:
    """A made-up three-level HURIDOCS list 99 (not the real thesaurus)."""
    term = build_vocab.HuridocsTerm
    rows = [
        term("01000000000099", "Fictional root", "Вымышленный корень", "99", ""),
        term("01010000000099", "Fictional middle", "Вымышленная середина", "99", "01000000000099"),
        term("01010100000099", "Fictional leaf", "Вымышленный лист", "99", "01010000000099"),
    ]
    return {t.vocab_number: t for t in rows}


def entry(key: str, **fields: str) -> dict[str, str]:
    """One source entry with a Belarusian label."""
    return {"key": key, "be": f"Тэрмін {key}", **fields}


def test_huridocs_terms_take_english_and_russian_from_huridocs(
    build_vocab: ModuleType, huridocs: dict[str, Any]
) -> None:
    sources = {"vocab": {"demo": [entry("root", huridocs="01000000000099")]}}
    [row] = build_vocab.build(sources, huridocs)["demo"]
    assert row["label_en"] == "Fictional root"
    assert row["label_ru"] == "Вымышленный корень"
    assert (row["code"], row["source"], row["be_reviewed"]) == (
        "01000000000099",
        "HURIDOCS mt_99",
        "no",
    )


def test_russian_override_replaces_the_huridocs_label(
    build_vocab: ModuleType, huridocs: dict[str, Any]
) -> None:
    sources = {"vocab": {"demo": [entry("root", huridocs="01000000000099", ru="Корень")]}}
    assert build_vocab.build(sources, huridocs)["demo"][0]["label_ru"] == "Корень"


def test_huridocs_parent_is_the_nearest_ancestor_kept_in_the_file(
    build_vocab: ModuleType, huridocs: dict[str, Any]
) -> None:
    sources = {
        "vocab": {
            "demo": [
                entry("leaf", huridocs="01010100000099"),
                entry("root", huridocs="01000000000099"),
                entry("own", en="Own", ru="Свой", parent="leaf"),
            ]
        }
    }
    rows = {r["key"]: r for r in build_vocab.build(sources, huridocs)["demo"]}
    assert rows["leaf"]["parent"] == "root"
    assert rows["root"]["parent"] == ""
    assert rows["own"]["parent"] == "leaf"
    assert rows["own"]["code"] == "vigil:own"


def test_explicit_empty_parent_makes_a_huridocs_term_top_level(
    build_vocab: ModuleType, huridocs: dict[str, Any]
) -> None:
    sources = {
        "vocab": {
            "demo": [
                entry("root", huridocs="01000000000099"),
                entry("middle", huridocs="01010000000099", parent=""),
            ]
        }
    }
    rows = {r["key"]: r for r in build_vocab.build(sources, huridocs)["demo"]}
    assert rows["middle"]["parent"] == ""


@pytest.mark.parametrize(
    ("entries", "problem"),
    [
        ([entry("gone", huridocs="05000000000099")], "05000000000099 not found"),
        ([entry("root", huridocs="01000000000099", en="Root")], "unexpected fields ['en']"),
        ([entry("a", en="A", ru="А"), entry("a", en="B", ru="Б")], "duplicate key 'a'"),
        ([entry("a", en="A", ru="А", parent="nowhere")], "parent 'nowhere'"),
        ([entry("a", en="A", ru="А", parent="b"), entry("b", en="B", ru="Б", parent="a")], "loops"),
        ([entry("a", en="A", ru="")], "empty label_ru"),
        ([entry("Bad-Key", en="A", ru="А")], "snake_case"),
        ([entry("a", en="A" * 201, ru="А")], "longer than 200"),
    ],
)
def test_build_reports_inconsistent_sources(
    build_vocab: ModuleType, huridocs: dict[str, Any], entries: list[dict[str, str]], problem: str
) -> None:
    with pytest.raises(build_vocab.VocabBuildError) as info:
        build_vocab.build({"vocab": {"demo": entries}}, huridocs)
    assert problem in str(info.value)


def test_build_reports_terms_missing_from_a_complete_list(
    build_vocab: ModuleType, huridocs: dict[str, Any]
) -> None:
    sources = {
        "complete_huridocs_lists": {"demo": 99},
        "vocab": {"demo": [entry("root", huridocs="01000000000099")]},
    }
    with pytest.raises(build_vocab.VocabBuildError, match="01010100000099"):
        build_vocab.build(sources, huridocs)


def test_shipped_sources_give_every_entry_a_belarusian_label_and_a_source(
    build_vocab: ModuleType,
) -> None:
    sources = build_vocab.read_sources(build_vocab.TERMS_FILE)
    entries = [e for entries in sources["vocab"].values() for e in entries]
    assert len(entries) > 200
    for e in entries:
        assert e["be"].strip(), e["key"]
        assert ("huridocs" in e) != ("en" in e), e["key"]
        assert "huridocs" in e or e["ru"].strip(), e["key"]


label_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda s: s.strip() == s)


@given(en=label_text, ru=label_text, be=label_text, definition=label_text)
def test_rendered_rows_load_back_unchanged(
    build_vocab: ModuleType, en: str, ru: str, be: str, definition: str
) -> None:
    source = {"vocab": {"demo": [entry("x", en=en, ru=ru, be=be, definition=definition)]}}
    rows = build_vocab.build(source, {})["demo"]
    term = parse_terms("demo", build_vocab.render(rows))["x"]
    assert (term.label_en, term.label_ru, term.label_be, term.definition_en) == (
        en,
        ru,
        be,
        definition,
    )
