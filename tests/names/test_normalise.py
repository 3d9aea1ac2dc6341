from hypothesis import given
from hypothesis import strategies as st

from vigil.names import normalise, repair_homoglyphs
from vigil.names.normalise import is_cyrillic

names = st.text(
    alphabet=st.characters(
        whitelist_categories=("Lu", "Ll", "Zs", "Pd", "Po"), max_codepoint=0x052F
    ),
    max_size=40,
)


@given(names)
def test_normalise_is_idempotent(text):
    assert normalise(normalise(text)) == normalise(text)


def test_normalise_folds_case_punctuation_and_spaces():
    assert (
        normalise("  KALINOWSKI,  Siarhei\tAliaksiejevich ") == "kalinowski siarhei aliaksiejevich"
    )


def test_normalise_turns_cyrillic_apostrophe_into_soft_sign():
    assert normalise("Валер’евіч") == "валерьевіч"


def test_repair_homoglyphs_puts_latin_i_back_into_cyrillic_word():
    repaired = repair_homoglyphs("Дзмiтрый СIВАКАЎ")
    assert repaired == "Дзмітрый СІВАКАЎ"
    assert all(is_cyrillic(ch) for ch in repaired.replace(" ", ""))


def test_repair_homoglyphs_reads_latin_kra_as_cyrillic_ka():
    assert repair_homoglyphs("Аляĸсей") == "Аляксей"


def test_repair_homoglyphs_turns_cyrillic_letter_in_latin_name_to_latin():
    assert repair_homoglyphs("Alеksandr") == "Aleksandr"


def test_repair_homoglyphs_leaves_single_script_words_alone():
    assert repair_homoglyphs("Ivan Иван") == "Ivan Иван"
