"""The organisation index finds entries across scripts and legal forms through its block keys."""

from vigil.names.org_index import OrgIndex, OrgRecord
from vigil.names.org_terms import read_org_name

ENTRIES = [
    OrgRecord("kali", ["OAO BELARUSKALI", "BELARUSKALI OJSC"]),
    OrgRecord("kgb", ["STATE SECURITY COMMITTEE OF THE REPUBLIC OF BELARUS"]),
    OrgRecord("boa", ["BANK OF AMERICA"]),
    OrgRecord("waad", ["WAAD PROJECT", "WAAD"]),
    *[OrgRecord(f"bank{i}", [f"Fictional Bank Number {i}"]) for i in range(200)],
]


def _found(index: OrgIndex, query: str) -> list[str]:
    return [c.entity_id for c in index.search(query, threshold=0.7)]


def test_a_cyrillic_name_with_a_legal_form_finds_the_latin_entry():
    assert _found(OrgIndex(ENTRIES), "ОАО «Беларуськалий»") == ["kali"]


def test_an_abbreviation_finds_the_body_it_stands_for():
    assert _found(OrgIndex(ENTRIES), "КГБ") == ["kgb"]


def test_a_shared_generic_word_finds_nothing_when_the_distinctive_word_differs():
    index = OrgIndex(ENTRIES)
    # Scored (the weak keys reach the banks), and none is close enough.
    assert index._block(read_org_name("Bank of Armenia"))
    assert _found(index, "Bank of Armenia") == []


def test_a_short_word_spelled_with_other_vowels_is_in_the_block():
    assert "waad" in _found(OrgIndex(ENTRIES), "JOINT STOCK COMPANY VAD")
