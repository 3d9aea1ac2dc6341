from vigil.names import NameIndex, NameRecord
from vigil.names.index import expand_forms

# Fictional records only.
RECORDS = [
    NameRecord("f/1", ["Fiktyu Testovich ZAPASNOV", "Фіктыў Тэставіч ЗАПАСНОЎ"], "1.2.1960", "m"),
    NameRecord("f/2", ["Ivan Testovich ZAPASNOV"], "1971"),
    NameRecord("f/3", ["Maryna Fiktauna NEVEDOMAYA (NEVIADOMAIA)"], None, "female"),
    NameRecord("f/4", ["Iury Leanidavich PRYDUMAU (Yuri Leanidavich PRYDUMAU, PRYDUMOU)"]),
]


def test_search_finds_person_by_other_script_and_order():
    index = NameIndex(RECORDS)
    found = index.search("Запаснов Фиктив Тестович")
    assert [c.entity_id for c in found][:1] == ["f/1"]
    assert found[0].explanation


def test_search_keeps_relative_with_other_given_name_out():
    index = NameIndex(RECORDS)
    assert [c.entity_id for c in index.search("Ivan Testovich ZAPASNOV")] == ["f/2"]


def test_search_uses_parenthesised_variants_of_the_index():
    index = NameIndex(RECORDS)
    assert [c.entity_id for c in index.search("Maryna NEVIADOMAIA")] == ["f/3"]


def test_expand_forms_reads_alternative_surnames():
    forms = expand_forms("Iury Leanidavich PRYDUMAU (Yuri Leanidavich PRYDUMAU, PRYDUMOU)")
    assert "Yuri Leanidavich PRYDUMAU" in forms
    assert "Iury Leanidavich PRYDUMOU" in forms


def test_search_birth_date_mismatch_ranks_lower():
    index = NameIndex(RECORDS)
    right = index.search("Fiktyu ZAPASNOV", birth="1960", threshold=0.0)
    wrong = index.search("Fiktyu ZAPASNOV", birth="1990", threshold=0.0)
    assert right[0].score > wrong[0].score


def test_search_finds_a_surname_with_one_typo():
    index = NameIndex(RECORDS)
    assert [c.entity_id for c in index.search("Фіктыў Тэставіч ЗАПСНОЎ")][:1] == ["f/1"]


def test_search_ranks_namesakes_by_their_given_names():
    family = [
        NameRecord(f"fam/{i}", [f"ZAPASNOV, {g} Testovich"])
        for i, g in enumerate(
            ["Ivan", "Piotr", "Fiktyu", "Mikhail", "Siarhei", "Pavel", "Oleg", "Anton"]
        )
    ]
    index = NameIndex(family)
    assert [c.entity_id for c in index.search("Anton Testovich ZAPASNOV")] == ["fam/7"]


def test_search_finds_identical_single_word_names():
    index = NameIndex([NameRecord("org/1", ["FIKTIVBANK"]), *RECORDS])
    assert [c.entity_id for c in index.search("FIKTIVBANK")] == ["org/1"]


def test_shortlist_lists_entities_best_first():
    index = NameIndex(RECORDS)
    assert index.shortlist("Ivan Testovich ZAPASNOV")[:2] == ["f/2", "f/1"]


def test_a_surname_one_slip_off_is_blocked_and_found_in_another_script():
    # The sound skeleton of FISEV (F-S) shares no rare key with ФІЦАЎ (F-T); the typo keys do.
    index = NameIndex([NameRecord("f/5", ["Аляксандр Тэставіч ФІЦАЎ"]), *RECORDS])
    assert "f/5" in index.shortlist("Alexander Testovich FISEV")
    assert [c.entity_id for c in index.search("Alexander Testovich FISEV")] == ["f/5"]
    assert "one letter off" in index.search("Alexander Testovich FISEV")[0].explanation


def test_a_surname_one_slip_off_is_no_match_without_the_patronymic():
    index = NameIndex([NameRecord("f/5", ["Аляксандр Тэставіч ФІЦАЎ"]), *RECORDS])
    assert index.search("Alexander FISEV") == []


def test_a_token_near_the_typo_by_chance_does_not_hide_the_one_it_was_typed_for():
    # ZHATSAK (a slip in ZHESTAK) sounds near ZHOTIK, which used to stop the search for slips.
    index = NameIndex(
        [
            NameRecord("f/6", ["Nina Testovna ZHESTAK"]),
            NameRecord("f/7", ["Tatiana Fiktovna ZHOTIK"]),
        ]
    )
    assert [c.entity_id for c in index.search("Nina Testauna ZHATSAK")] == ["f/6"]
