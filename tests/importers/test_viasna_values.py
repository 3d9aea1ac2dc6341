import re

import pytest
from tests.sample import distinct_values

from vigil.importers.viasna_values import (
    LibertyHint,
    PlaceKind,
    StatusMeaning,
    ViasnaValueError,
    classify_place,
    parse_status,
    split_people,
    withheld_name,
)
from vigil.names.homoglyphs import repair_homoglyphs

# Stand-in for vigil.names.is_given_name: the obvious given names of the sample's `judge` and
# `counsel` columns, written out by hand so these tests do not depend on the names package.
SAMPLE_GIVEN_NAMES = frozenset(
    """Aksana Ala Alena Alesia Aliaksandr Aliaksei Alina Anastasiya Andrei Anton Anzhalika
    Anzhela Artsiom Artur Dzianis Dzmitry Dzmitryi Fiodar Halina Hanna Henadz Ihar Ina Ivan
    Katsiaryna Krystsina Liudmila Lizaveta Maksim Marharyta Maryia Maryna Mikalai Mikhail Mikita
    Nadzeya Natallia Pavel Piotr Raman Ruslan Siarhei Sniazhana Stanislau Sviataslau Sviatlana
    Tatsiana Tsimafei Uladzimir Vadzim Valery Veranika Vera Viktar Viktoryia Vital Volga Volha
    Yahor Yauhen Yuliya Yury Yuryi Zhanna Zmitser""".split()
)


def is_given_name(word: str) -> bool:
    return word in SAMPLE_GIVEN_NAMES


def _split(cell):
    return split_people(cell, is_given_name=is_given_name)


def test_split_people_reads_given_name_first():
    (person,) = _split("Maksim Filatau")
    assert (person.given_name, person.surname, person.surname_first) == ("Maksim", "Filatau", False)


def test_split_people_detects_surname_first():
    first, second = _split("Beraziuk Siarhei, Maksim Filatau")
    assert (first.given_name, first.surname, first.surname_first) == ("Siarhei", "Beraziuk", True)
    assert (second.given_name, second.surname) == ("Maksim", "Filatau")
    assert first.text == "Beraziuk Siarhei"


def test_split_people_marks_surname_only_values():
    people = _split("Yaroshyk, Plysheuski")
    assert [(p.surname, p.given_name, p.surname_only) for p in people] == [
        ("Yaroshyk", None, True),
        ("Plysheuski", None, True),
    ]
    mixed = _split("Liudmila Herasimenka, Rabau")
    assert [p.surname_only for p in mixed] == [False, True]


def test_split_people_reads_initials_as_given_names():
    (person,) = _split("Testovich A.")
    assert (person.given_name, person.surname, person.surname_first) == ("A.", "Testovich", True)


def test_split_people_of_blank_cell_is_empty():
    assert _split("") == []
    assert _split(" , ") == []


@pytest.mark.parametrize("column", ["judge", "counsel"])
def test_every_judge_and_counsel_value_in_the_sample_splits(shared_data, column):
    values = distinct_values(shared_data, column)
    assert len(values) > 50
    for value in values:
        people = _split(value)
        assert len(people) == len([p for p in value.split(",") if p.strip()])
        for person in people:
            assert person.surname and person.surname[0].isupper(), value
            if not person.surname_only:
                assert is_given_name(person.given_name), value
                assert not is_given_name(person.surname), value


@pytest.mark.parametrize(
    "name",
    [
        "",
        "  ",
        "Citizen A.",
        "Citizen Zh.",
        "citizen K",
        "Hramadzianin M.",
        "гражданка К.",
        "Resident of Vitebsk",
        "A resident of Bobruisk",
        "An inhabitant of Hrodna",
        "жительница Гомеля",
        "Name withheld",
    ],
)
def test_withheld_name_recognises_placeholders(name):
    assert withheld_name(name)


@pytest.mark.parametrize(
    "name", ["N. Savicki", "Hryharenka", "Citizen Kane", "Residentova Testa", "Testa Citizenka"]
)
def test_withheld_name_keeps_real_looking_names(name):
    assert not withheld_name(name)


def test_names_in_the_sample_are_withheld_only_when_placeholders(shared_data):
    names = distinct_values(shared_data, "name")
    withheld = {name for name in names if withheld_name(name)}
    assert "" in withheld and "Citizen A." in withheld and "A resident of Bobruisk" in withheld
    for name in withheld - {""}:
        assert re.match(r"(?i)(citizen|(a )?resident)\b", name), name
    for name in set(names) - withheld:
        assert re.fullmatch(r"[A-Za-z.' -]+", repair_homoglyphs(name)), name


def test_split_people_repairs_a_cyrillic_letter_inside_a_latin_name():
    (person,) = _split("Maksim Testav\u0456ch")
    assert person.surname == "Testavich"


@pytest.mark.parametrize(
    ("title", "kind", "name", "liberty"),
    [
        ("Penal colony No. 4", "penal_colony", "Penal colony No. 4", "in_custody"),
        (
            "Juvenile penal colony No. 2",
            "juvenile_colony",
            "Juvenile penal colony No. 2",
            "in_custody",
        ),
        (
            "Pre-trial detention center No. 1",
            "pretrial_detention_centre",
            "Pre-trial detention centre No. 1",
            "in_custody",
        ),
        (
            "SIZO No. 1",
            "pretrial_detention_centre",
            "Pre-trial detention centre No. 1",
            "in_custody",
        ),
        ("Prison No. 4", "prison", "Prison No. 4", "in_custody"),
        (
            "Open correctional facility No. 17",
            "open_correctional_facility",
            "Open correctional facility No. 17",
            "restricted_liberty",
        ),
        ("ИК № 15", "penal_colony", "Penal colony No. 15", "in_custody"),
        ("Penal colony 3", "penal_colony", "Penal colony No. 3", "in_custody"),
        ("prison #1", "prison", "Prison No. 1", "in_custody"),
    ],
)
def test_classify_place_names_facilities_canonically(title, kind, name, liberty):
    place = classify_place(title)
    assert (place.kind, place.name, place.liberty, place.is_organisation) == (
        kind,
        name,
        liberty,
        True,
    )
    assert place.text == title


def test_house_arrest_is_a_status_of_restricted_liberty():
    place = classify_place("House arrest")
    assert place.kind == PlaceKind.STATUS
    assert not place.is_organisation
    assert place.liberty == LibertyHint.RESTRICTED_LIBERTY


def test_released_awaiting_sentence_is_a_status_out_of_custody():
    place = classify_place("Released awaiting the commencement of the sentence")
    assert place.kind == PlaceKind.STATUS
    assert not place.is_organisation
    assert place.liberty == LibertyHint.NOT_IN_CUSTODY


def test_classify_place_rejects_unknown_places_naming_them():
    assert classify_place("") is None
    with pytest.raises(ViasnaValueError, match="'Ministry of Truth'"):
        classify_place("Ministry of Truth")


def test_every_prison_title_in_the_sample_is_classified(shared_data):
    titles = [t for t in distinct_values(shared_data, "prison_title") if t]
    assert len(titles) > 30
    places = [classify_place(title) for title in titles]
    assert {p.kind for p in places} == set(PlaceKind)
    for title, place in zip(titles, places, strict=True):
        if place.is_organisation:
            assert place.number and place.name.endswith(f"No. {place.number}"), title


def test_every_status_in_the_sample_has_a_meaning(shared_data):
    statuses = {value: parse_status(value) for value in distinct_values(shared_data, "status")}
    assert {s.meaning for s in statuses.values()} == set(StatusMeaning)
    assert statuses["np"].meaning == StatusMeaning.NOT_RECOGNISED
    assert statuses["active"].value == "active"


def test_parse_status_rejects_unknown_values_naming_them():
    with pytest.raises(ViasnaValueError, match="'released'"):
        parse_status("released")
