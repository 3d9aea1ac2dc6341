from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.names import OPERATING_THRESHOLD, REVIEW_THRESHOLD, compare
from vigil.names.compare import features, surname_floor
from vigil.names.index import surname_tokens
from vigil.names.parse import parse_name
from vigil.names.phonetic import sound
from vigil.names.tokens import token_info, token_similarity


def test_sound_folds_belarusian_and_russian_spellings_together():
    assert sound("kavaleu") == sound("kovalev")
    assert sound("urubleuski") == sound("vrublevskii")
    assert sound("hara") == sound("gora")


def test_sound_keeps_vowels_that_tell_surnames_apart():
    assert sound("kurouski") != sound("karsiuk")


def test_token_similarity_accepts_belarusian_vowels_for_russian_ones():
    score, how = token_similarity(token_info("charnyshou"), token_info("чернышев"))
    assert score >= 0.85
    assert "vowels" in how or "ending" in how


def test_token_similarity_rejects_other_vowel_changes():
    score, _ = token_similarity(token_info("shotsik"), token_info("shevchuk"))
    assert score < 0.7


def test_compare_reads_run_together_cyrillic_words():
    parsed = parse_name("ФіктыўТэставіч ЗАПАСНОЎ")
    assert parsed.given == ("фіктыў",)
    assert parsed.patronymic == "тэставіч"


def test_compare_scores_identical_single_word_names_fully():
    assert compare("FIKTIVBANK", "FIKTIVBANK").score == 1.0


def test_compare_keeps_one_sided_surname_only_names_lower():
    assert compare("ZAPASNOV", "Fiktyu ZAPASNOV").score < OPERATING_THRESHOLD


def test_surname_floor_is_lower_with_birth_dates_and_lower_thresholds():
    plain = surname_floor(OPERATING_THRESHOLD, with_birth=False)
    assert surname_floor(OPERATING_THRESHOLD, with_birth=True) < plain
    assert surname_floor(REVIEW_THRESHOLD, with_birth=False) < plain
    assert surname_floor(0.0, with_birth=True) == 0.0


parts = st.lists(
    st.sampled_from(
        [
            "Siarhei",
            "Сяргей",
            "Testavich",
            "ФІКТОЎ",
            "FIKTOU",
            "Fiktau",
            "Maryna",
            "M.",
            "Ivanova",
            "Zapasnik",
            "ЗАПАСНОЎ",
            "Zapasnou",
            "NAVUMAU",
            "Наумов",
            "Navumov",
            "K.",
            "Kartavenko",
        ]
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(parts, parts)
def test_a_match_always_has_a_surname_token_above_the_index_floor(a_parts, b_parts):
    a, b = " ".join(a_parts), " ".join(b_parts)
    if compare(a, b).score < OPERATING_THRESHOLD:
        return
    best = max(
        token_similarity(x, y)[0]
        for x in surname_tokens(features(a))
        for y in surname_tokens(features(b))
    )
    assert best >= surname_floor(OPERATING_THRESHOLD, with_birth=False)


def test_token_similarity_wants_belarusian_vowels_on_one_side_only():
    score, _ = token_similarity(token_info("parshin"), token_info("person"))
    assert score < 0.7
