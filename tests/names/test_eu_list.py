import csv

from vigil.names import compare
from vigil.names.homoglyphs import repair_homoglyphs
from vigil.names.normalise import is_cyrillic


def test_eu_list_cyrillic_forms_are_fully_cyrillic_after_repair(shared_data):
    path = shared_data / "sanctions" / "eu_reg_765_2006_annexI.csv"
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["schema"] == "Person"]
    for row in rows[:60]:
        for alias in row["alias"].split(";"):
            repaired = repair_homoglyphs(alias)
            for word in repaired.split():
                if is_cyrillic(word):
                    assert all(not ("a" <= ch.lower() <= "z") for ch in word), word


def test_eu_list_first_person_matches_across_all_four_forms(shared_data):
    path = shared_data / "sanctions" / "eu_reg_765_2006_annexI.csv"
    with path.open(encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r["schema"] == "Person")
    forms = [row["name"], *(a.strip() for a in row["alias"].split(";"))]
    assert len(forms) == 4
    for a in forms:
        for b in forms:
            assert compare(a, b).score >= 0.82
