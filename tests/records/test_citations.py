import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.sample import distinct_values

from vigil.records.citations import (
    Charge,
    CitationError,
    Provision,
    format_charge,
    parse_charges,
    parse_citation,
)


def _only(text):
    charges = parse_charges(text)
    assert len(charges) == 1, charges
    return charges[0]


@pytest.mark.parametrize(
    ("text", "article", "part", "point", "title"),
    [
        (
            "Part 2 of Art. 293 of the Criminal Code — Participation in riots",
            "293",
            "2",
            None,
            "Participation in riots",
        ),
        (
            "p. 5 of Part 2 of Art. 147 of the Criminal Code — Serious bodily injury",
            "147",
            "2",
            "5",
            "Serious bodily injury",
        ),
        ("Art. 361-1 of the Criminal Code — Extremist formation", "361-1", None, None, None),
        ("art. 188 of the Criminal Code — Defamation", "188", None, None, "Defamation"),
        ("Article 361-3", "361-3", None, None, None),
        ("Part 3 of Art. 293 of the Criminal code — Training", "293", "3", None, "Training"),
        ("Part 1 of Art. 285 of the Criminal Code - Creation", "285", "1", None, "Creation"),
        ("Art. 130 of the Criminal Code – Incitement", "130", None, None, "Incitement"),
        (
            "Art. 130 of the Criminal Code Incitement to hatred",
            "130",
            None,
            None,
            "Incitement to hatred",
        ),
        ("Art. 243 part 2 of the Criminal Code", "243", "2", None, None),
    ],
)
def test_parse_charges_reads_english_citations(text, article, part, point, title):
    charge = _only(text)
    assert charge.provision.code == "criminal"
    assert (charge.provision.article, charge.provision.part, charge.provision.point) == (
        article,
        part,
        point,
    )
    if title is not None:
        assert charge.provision.title == title
    assert charge.inchoate is None
    assert charge.text == text


def test_article_13_is_a_preparation_modifier_not_a_charge():
    charge = _only(
        "Part 1 of Article 13 and Article 293 of the Criminal Code — Preparation for mass riots"
    )
    assert charge.provision == Provision(
        "criminal", "293", None, None, "Preparation for mass riots"
    )
    assert charge.inchoate == "preparation"


def test_article_14_is_an_attempt_modifier():
    charge = _only("Part 1 of Art. 14 and Part 2 of Art. 357 of the Criminal Code — Attempted coup")
    assert (charge.provision.article, charge.provision.part) == ("357", "2")
    assert charge.inchoate == "attempt"


def test_citation_without_code_defaults_to_criminal_code():
    charge = _only("Art. 411 — Malicious disobedience")
    assert charge.provision.code == "criminal"
    assert charge.provision.title == "Malicious disobedience"


def test_viasna_cell_splits_on_pipes():
    cell = (
        "Art. 341 of the Criminal Code — Desecration | Part 2 of Art. 285 of the Criminal Code — "
        "Participation | Part 1 of Article 13 and Article 293 of the Criminal Code — Preparation"
    )
    charges = parse_charges(cell)
    assert [(c.provision.article, c.provision.part, c.inchoate) for c in charges] == [
        ("341", None, None),
        ("285", "2", None),
        ("293", None, "preparation"),
    ]
    assert charges[1].text == "Part 2 of Art. 285 of the Criminal Code — Participation"


def test_blank_cell_has_no_charges():
    assert parse_charges("") == []
    assert parse_charges("  ") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ч. 2 ст. 293 УК", [("criminal", "293", "2", None, None)]),
        ("ст. 342 УК РБ", [("criminal", "342", None, None, None)]),
        ("ч.1 ст.13, ч.2 ст.293 УК", [("criminal", "293", "2", None, "preparation")]),
        ("ч. 1 ст. 14, ч. 2 ст. 357 УК", [("criminal", "357", "2", None, "attempt")]),
        ("ст. 24.23 КоАП", [("administrative", "24.23", None, None, None)]),
        ("п. 5 ч. 2 ст. 147 УК", [("criminal", "147", "2", "5", None)]),
        ("ч.2ст.293 УК", [("criminal", "293", "2", None, None)]),
        (
            "ст.ст. 293, 342 УК",
            [("criminal", "293", None, None, None), ("criminal", "342", None, None, None)],
        ),
        (
            "ч. 2 ст. 293 УК, ст. 24.23 КоАП",
            [("criminal", "293", "2", None, None), ("administrative", "24.23", None, None, None)],
        ),
        (
            "Art. 23.34 of the Code of Administrative Offences",
            [("administrative", "23.34", None, None, None)],
        ),
    ],
)
def test_parse_charges_reads_russian_and_administrative_citations(text, expected):
    got = [
        (c.provision.code, c.provision.article, c.provision.part, c.provision.point, c.inchoate)
        for c in parse_charges(text)
    ]
    assert got == expected


@pytest.mark.parametrize("text", ["hello", "Art. 293abc", "Part 2", "Art. — riots", "№ 5"])
def test_unreadable_citation_raises_naming_the_text(text):
    with pytest.raises(CitationError, match=re.escape(repr(text))):
        parse_citation(text)


def test_citation_error_is_a_value_error():
    assert issubclass(CitationError, ValueError)


def test_every_citation_in_the_viasna_sample_parses_with_its_article_numbers(shared_data):
    citations = {
        piece.strip()
        for cell in distinct_values(shared_data, "articles")
        for piece in cell.split("|")
        if piece.strip()
    }
    assert len(citations) > 40
    for citation in citations:
        charges = parse_citation(citation)
        # The article numbers as written, minus the Art. 13/14 modifiers folded into the charge.
        written = re.findall(r"(?:Art\.|Article|art\.)\s*(\d+(?:-\d+)?)", citation)
        modifiers = [a for a in written[:-1] if a in {"13", "14"}]
        assert [c.provision.article for c in charges] == [a for a in written if a not in modifiers]
        assert all(c.provision.code == "criminal" for c in charges)
        assert all(c.provision.title for c in charges), citation


_articles = st.from_regex(r"[1-9]\d{0,2}(-[1-9])?", fullmatch=True).filter(
    lambda a: a not in {"13", "14"}
)
_numbers = st.none() | st.from_regex(r"[1-9]\d?", fullmatch=True)
# Titles do not open with a word the citation grammar reads ("Of", "And", "Criminal code"):
# without a dash such a title would be ambiguous.
_titles = st.none() | st.from_regex(r"[BDEFGHLMNSTW][a-z]{2,12}( [a-z]{2,10}){0,4}", fullmatch=True)


@st.composite
def _charges(draw):
    code = draw(st.sampled_from(["criminal", "administrative"]))
    article = (
        draw(_articles)
        if code == "criminal"
        else draw(st.from_regex(r"\d{1,2}\.\d{1,2}", fullmatch=True))
    )
    inchoate = (
        draw(st.sampled_from([None, "preparation", "attempt"])) if code == "criminal" else None
    )
    provision = Provision(code, article, draw(_numbers), draw(_numbers), draw(_titles))
    return Charge(provision, inchoate, "")


@given(_charges(), st.sampled_from(["en", "ru"]), st.sampled_from([" — ", " – ", " - ", " "]))
def test_formatted_citation_parses_back_to_the_same_charge(charge, language, dash):
    text = format_charge(charge, language=language).replace(" — ", dash)
    (parsed,) = parse_citation(text)
    assert parsed.provision == charge.provision
    assert parsed.inchoate == charge.inchoate
    assert parsed.text == text
