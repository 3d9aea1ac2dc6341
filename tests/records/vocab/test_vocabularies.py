"""The pure-Python loader: load, label, require and parse_terms."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.records.vocabularies import (
    COLUMNS,
    Term,
    label,
    load,
    parse_terms,
    require,
    vocabularies,
)

HEADER = ",".join(COLUMNS)


def make_term(**overrides: str) -> Term:
    """A fictional term for testing fallbacks."""
    fields = {
        "vocabulary": "test_vocab",
        "key": "fictional_act",
        "code": "vigil:fictional_act",
        "parent": None,
        "label_en": "Fictional act",
        "label_ru": "Вымышленное действие",
        "label_be": "Выдуманае дзеянне",
        "be_reviewed": False,
        "source": "Vigil",
    }
    return Term(**{**fields, **overrides})  # type: ignore[arg-type]


def test_load_returns_terms_by_key_in_file_order() -> None:
    acts = load("act_type")
    assert list(acts)[:3] == ["warning", "summons", "interrogation"]
    assert acts["arrest"] == Term(
        vocabulary="act_type",
        key="arrest",
        code="03010100000004",
        parent=None,
        label_en="Arrest",
        label_ru="Арест",
        label_be="Арышт",
        be_reviewed=False,
        source="HURIDOCS mt_4",
        definition_en="Taking a person into custody",
    )


def test_load_returns_a_copy_that_callers_cannot_use_to_corrupt_the_cache() -> None:
    first = load("state_response")
    first.pop("none")
    assert "none" in load("state_response")


def test_term_is_immutable() -> None:
    with pytest.raises(AttributeError):
        load("act_type")["arrest"].label_en = "Changed"  # type: ignore[misc]


@pytest.mark.parametrize("name", ["no_such_vocabulary", "../act_type", "act_type.csv", ""])
def test_load_rejects_an_unknown_vocabulary_listing_the_known_ones(name: str) -> None:
    with pytest.raises(KeyError, match="act_type, chain_relation"):
        load(name)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Disbarment"),
        ("ru", "Лишение адвокатской лицензии"),
        ("be", "Пазбаўленне адвакацкай ліцэнзіі"),
        ("ru-RU", "Лишение адвокатской лицензии"),
        ("be_BY", "Пазбаўленне адвакацкай ліцэнзіі"),
        ("de", "Disbarment"),
    ],
)
def test_label_picks_the_language_and_falls_back_to_english(lang: str, expected: str) -> None:
    assert label("act_type", "disbarment", lang) == expected


def test_label_of_an_unknown_key_is_the_key_itself() -> None:
    assert label("act_type", "fictional_unlisted_act", "be") == "fictional_unlisted_act"


def test_label_of_an_unknown_vocabulary_raises() -> None:
    with pytest.raises(KeyError):
        label("no_such_vocabulary", "arrest")


def test_term_label_falls_back_from_empty_language_to_english_then_key() -> None:
    assert make_term(label_be="").label("be") == "Fictional act"
    assert make_term(label_be="", label_en="").label("be") == "fictional_act"


def test_require_returns_the_term() -> None:
    assert require("profession", "lawyer").label_ru == "Адвокаты"


def test_require_names_the_vocabulary_and_suggests_close_keys() -> None:
    with pytest.raises(KeyError) as info:
        require("act_type", "arest")
    message = str(info.value)
    assert "'act_type'" in message
    assert "Did you mean arrest" in message
    assert "disbarment" in message


def test_parse_terms_reads_parents_and_review_flag() -> None:
    text = (
        f"{HEADER}\n"
        "parent_act,vigil:parent_act,,Parent,Родитель,Бацька,yes,Vigil,\n"
        'child_act,vigil:child_act,parent_act,"Child, fictional",Ребёнок,Дзіця,no,Vigil,One line\n'
    )
    terms = parse_terms("test_vocab", text)
    assert terms["child_act"].parent == "parent_act"
    assert terms["child_act"].label_en == "Child, fictional"
    assert terms["parent_act"].be_reviewed is True
    assert terms["parent_act"].parent is None


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("a,vigil:a,,A,А,А,no,Vigil,\na,vigil:b,,B,Б,Б,no,Vigil,\n", "duplicate key 'a'"),
        ("a,vigil:a,missing,A,А,А,no,Vigil,\n", "parent 'missing'"),
        ("a,vigil:a,,A,А,А,maybe,Vigil,\n", "not yes/no"),
    ],
)
def test_parse_terms_rejects_inconsistent_files(body: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_terms("test_vocab", f"{HEADER}\n{body}")


def test_parse_terms_rejects_unexpected_columns() -> None:
    with pytest.raises(ValueError, match="columns"):
        parse_terms("test_vocab", "key,code,label_en\na,vigil:a,A\n")


@given(vocabulary=st.sampled_from(vocabularies()), lang=st.text(max_size=12), data=st.data())
def test_label_is_never_empty_and_is_one_of_the_terms_labels(
    vocabulary: str, lang: str, data: st.DataObject
) -> None:
    term = data.draw(st.sampled_from(list(load(vocabulary).values())))
    result = label(vocabulary, term.key, lang)
    assert result in {term.label_en, term.label_ru, term.label_be}


@given(vocabulary=st.sampled_from(vocabularies()), key=st.text(max_size=30))
def test_unknown_keys_label_as_themselves_and_require_raises(vocabulary: str, key: str) -> None:
    if key in load(vocabulary):
        return
    assert label(vocabulary, key) == key
    with pytest.raises(KeyError, match=vocabulary):
        require(vocabulary, key)
