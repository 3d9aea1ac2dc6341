"""Organisation names: legal forms, known bodies, distinctive words, numbers, and the dev set."""

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.names import OPERATING_THRESHOLD, classify_name, compare, compare_organisations
from vigil.names.data_files import read_rows, split_cell
from vigil.names.evaluation import parse_label, score_decisions
from vigil.names.kinds import compare_names
from vigil.names.org_terms import WEIGHTS, prepare, read_org_name, roman_value

DEV_SET = Path(__file__).parent / "data" / "org_pairs.csv"

MATCHES = [
    ("ААТ «Беларуськалій»", "Belaruskali OJSC"),
    ("ОАО «Беларуськалий»", "OAO Belaruskali"),
    ("ОАО «Беларуськалий»", "ААТ «Беларуськалій»"),
    ("КДБ", "KGB"),
    ("КГБ", "State Security Committee of the Republic of Belarus"),
    ("Комитет государственной безопасности", "KGB"),
    ("ГУБОПиК", "GUBOPiK"),
    ("МУС", "Ministry of Internal Affairs"),
    ("МВД", "MVD"),
    ("АТН", "ОНТ"),
    ("ОНТ", "ONT"),
    ("Белтэлерадыёкампанія", "Белтелерадиокомпания"),
    ("Белтелерадиокомпания", "Belteleradiocompany"),
    ("МАЗ", "Minsk Automobile Plant"),
    ("Гродна Азот", "Grodno Azot"),
    ("ОАО «Гродно Азот»", "Grodnoazot"),
    ("БелАЗ", "BelAZ"),
    ("ОАО «Нафтан»", "Naftan"),
    ("Белшына", "Belshina OJSC"),
    ("ABC Company", "A.B.C. Company"),
    ("Deutsche Bank AG", "Deutsche Bank"),
    ("Мінскі гарадскі суд", "Minsk City Court"),
    ("Суд Ленинского района г. Минска", "Leninsky District Court of Minsk"),
    ("ИК-2", "Penal Colony No. 2"),
    ("Папраўчая калонія № 2", "Исправительная колония № 2"),
    ("Industrial and Commercial Bank of China", "ICBC"),
    ("ОАО «558 Авиационный ремонтный завод»", "558 Aircraft Repair Plant OJSC"),
    ("Mozyr Oil Refinery", "ОАО «Мозырский НПЗ»"),
]

NON_MATCHES = [
    ("Bank of Armenia", "Bank of America"),
    ("Bain Capital Fund X", "Bain Capital Fund XI"),
    ("Fund X", "Fund XI"),
    ("Colony No. 2", "Colony No. 3"),
    ("ИК-15", "ИК-17"),
    ("Minsk City Court", "Minsk Regional Court"),
    ("Минский городской суд", "Гомельский городской суд"),
    ("Суд Ленинского района г. Минска", "Суд Фрунзенского района г. Минска"),
    ("Belaruskali", "Belarusbank"),
    ("KGB", "MVD"),
    ("MAZ", "MTZ"),
    ("Belaruskali", "Uralkali"),
    ("Deutsche Bank", "Deutsche Börse"),
    ("Gazprom Neft", "Gazprom"),
    ("Минский моторный завод", "Minsk Tractor Works"),
    ("Supreme Court of Belarus", "Supreme Court of Russia"),
]


@pytest.mark.parametrize(("a", "b"), MATCHES)
def test_compare_organisations_matches_forms_of_one_body(a, b):
    result = compare_organisations(a, b)
    assert result.score >= OPERATING_THRESHOLD, result.explanation


@pytest.mark.parametrize(("a", "b"), NON_MATCHES)
def test_compare_organisations_keeps_different_bodies_apart(a, b):
    result = compare_organisations(a, b)
    assert result.score < OPERATING_THRESHOLD, result.explanation


def test_shared_generic_word_is_weak_and_shared_rare_word_strong():
    generic = compare_organisations("Alpha Bank", "Omega Bank").score
    rare = compare_organisations("Belaruskali Holding", "Belaruskali").score
    assert generic < 0.3 < OPERATING_THRESHOLD <= rare


def test_comparison_explains_distinctive_difference_and_numbers():
    armenia = compare_organisations("Bank of Armenia", "Bank of America")
    assert "armenia" in armenia.explanation and "unmatched" in armenia.explanation
    fund = compare_organisations("Bain Capital Fund X", "Bain Capital Fund XI")
    assert "numbers differ: [10] vs [11]" in fund.notes
    assert fund.kind == "organisation"


def test_comparison_names_the_shared_legal_form_and_known_body():
    result = compare_organisations("ОАО «Беларуськалий»", "Belaruskali OJSC")
    assert "legal form jsc_open on both" in result.notes
    kgb = compare_organisations("КГБ", "State Security Committee")
    assert "[kgb]" in kgb.explanation


def test_legal_form_conflict_lowers_the_score_a_little():
    same = compare_organisations("ОАО «Атлант»", "OJSC Atlant").score
    near = compare_organisations("ОАО «Атлант»", "ЗАО «Атлант»").score
    other = compare_organisations("ОАО «Атлант»", "ООО «Атлант»").score
    assert same > near > other >= OPERATING_THRESHOLD


def test_name_of_only_a_legal_form_scores_zero():
    assert compare_organisations("ОАО", "OJSC").score == 0.0


def _legal_forms() -> list[tuple[str, str]]:
    return [
        (row["code"], form)
        for row in read_rows("org_legal_forms.csv")
        for form in split_cell(row["forms"])
    ]


@pytest.mark.parametrize(("code", "form"), _legal_forms())
def test_every_legal_form_is_read_off_either_end_of_a_name(code, form):
    for text in (f"{form} «Zapasnik»", f"Zapasnik, {form}"):
        name = read_org_name(text)
        assert code in {c for c, _ in name.legal_forms}, text
        assert [p.key for p in name.parts] == ["zapasnik"], text


def test_legal_form_codes_are_unique_and_have_families():
    rows = read_rows("org_legal_forms.csv")
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes))
    assert all(row["family"] for row in rows)


def test_term_kinds_are_known_and_no_form_names_two_codes():
    seen: dict[str, str] = {}
    for row in read_rows("org_terms.csv"):
        assert row["kind"] in WEIGHTS
        for form in split_cell(row["forms"]):
            key = prepare(form)
            assert seen.setdefault(key, row["code"]) == row["code"], form


@pytest.mark.parametrize(
    "quoted", ["«Беларуськалій»", "„Беларуськалій“", '"Беларуськалій"', "'Беларуськалій'"]
)
def test_quotes_are_stripped(quoted):
    assert read_org_name(f"ААТ {quoted}").parts == read_org_name("ААТ Беларуськалій").parts


def test_romanised_legal_forms_and_spelled_out_forms_share_a_code():
    for text in ("OAO Naftan", "Otkrytoe aktsionernoe obshchestvo Naftan", "Naftan OJSC"):
        assert read_org_name(text).legal_forms[0][0] == "jsc_open", text
    assert read_org_name("Naftan Open Joint-Stock Company").legal_forms == (("jsc_open", "jsc"),)


def test_dotted_initials_are_joined_and_numbers_split_from_words():
    assert prepare("A.B.C. Company") == "abc company"
    assert prepare("A. B. C. Company") == "abc company"
    assert read_org_name("ИК-15").numbers == {15}
    assert read_org_name("SIZO1").numbers == {1}


def test_roman_numerals_are_read_as_numbers_but_not_as_first_word():
    assert [roman_value(t) for t in ("x", "xi", "iv", "xix", "mix")] == [10, 11, 4, 19, None]
    assert read_org_name("Fund XI").numbers == {11}
    assert read_org_name("Vi Holdings").numbers == frozenset()


@pytest.mark.parametrize(
    "text",
    [
        "ОАО «Беларуськалий»",
        "KGB",
        "Deutsche Bank",
        "Минский тракторный завод",
        "Penal Colony No. 2",
        "Bank of Armenia",
        "Apple Inc.",
        "Белтелерадиокомпания",
    ],
)
def test_classify_name_finds_organisations(text):
    assert classify_name(text) == "organisation"


@pytest.mark.parametrize(
    "text",
    [
        "Владимир Владимирович Наумов",
        "Uladzimir NAVUMAU",
        "Запасник М.С.",
        "Иванов И.И.",
        "KALINOWSKI, Siarhei Aliaksiejevich",
        "Maria de la Cruz",
        "Ludwig van der Berg",
        "Сяргей Ціханоўскі",
    ],
)
def test_classify_name_leaves_persons_as_persons(text):
    assert classify_name(text) == "person"


org_parts = st.lists(
    st.sampled_from(
        ["ОАО", "OJSC", "Беларуськалий", "Belaruskali", "Bank", "of", "Armenia", "America",
         "XI", "X", "№ 2", "3", "КГБ", "KGB", "суд", "court", "Minsk", "«", "»", "A.B.C."]
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=150, deadline=None)
@given(org_parts, org_parts)
def test_compare_organisations_is_symmetric_and_bounded(a_parts, b_parts):
    a, b = " ".join(a_parts), " ".join(b_parts)
    ab, ba = compare_organisations(a, b), compare_organisations(b, a)
    assert 0.0 <= ab.score <= 1.0
    assert abs(ab.score - ba.score) < 1e-9


def test_development_set_is_large_balanced_and_reaches_f1_0_90():
    with DEV_SET.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    labels = [parse_label(r["match"]) for r in rows]
    assert len(rows) >= 150 and 50 <= sum(labels) <= len(rows) - 50
    decisions = [
        compare_organisations(r["name1"], r["name2"]).score >= OPERATING_THRESHOLD for r in rows
    ]
    scores = score_decisions(zip(labels, decisions, strict=True))
    assert scores.f1 >= 0.90, scores


def test_score_decisions_counts_and_figures():
    scores = score_decisions([(True, True), (True, False), (False, True), (False, False)])
    assert (scores.precision, scores.recall, scores.f1) == (0.5, 0.5, 0.5)
    with pytest.raises(ValueError, match="maybe"):
        parse_label("maybe")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Владимир Владимирович Наумов", "Uladzimir Uladzimiravich NAVUMAU"),
        ("Запасник М.С.", "Maryna Zapasnik"),
        ("Fiktyu Testovich ZAPASNOV", "Ivan Testovich ZAPASNOV"),
    ],
)
def test_compare_names_leaves_person_comparison_unchanged(a, b):
    result, person = compare_names(a, b), compare(a, b)
    assert (result.kind, result.score, result.explanation) == (
        "person",
        person.score,
        person.explanation,
    )
