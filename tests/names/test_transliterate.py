from hypothesis import given
from hypothesis import strategies as st

from vigil.names import SCHEMES, transliterate
from vigil.names.transliterate import detransliterate

russian_words = st.text(alphabet="абвгдежзийклмнопрстуфхцчшщъыьэюяё", min_size=1, max_size=15)


@given(russian_words)
def test_iso9_round_trips_russian(word):
    assert detransliterate(transliterate(word, "ru_iso9"), "ru_iso9") == word


@given(russian_words)
def test_every_scheme_yields_latin_only(word):
    for scheme in SCHEMES:
        assert not any("\u0400" <= ch <= "\u04ff" for ch in transliterate(word, scheme))


def test_belarusian_schemes_give_the_lists_spellings():
    assert transliterate("Уладзімір НАВУМАЎ", "be_icao") == "Uladzimir NAVUMAU"
    assert transliterate("Дзмітрый", "be_icao") == "Dzmitry"
    assert transliterate("Сяргей", "be_ofac") == "Siarhiej"


def test_lacinka_without_diacritics_gives_viasna_slug():
    from vigil.names.normalise import fold_ascii

    latin = transliterate("андрэй чапюк", "be_lacinka")
    assert " ".join(fold_ascii(w) for w in latin.split()) == "andrej capiuk"


def test_russian_bgn_marks_initial_ye():
    assert transliterate("Егоров", "ru_bgn") == "Yegorov"
