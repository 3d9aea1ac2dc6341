"""`vigil names compare` with --kind: which kind each name was taken for, and the explanation."""

import json

import pytest
from django.core.management import call_command

from vigil.core.context import change_context
from vigil.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def _run(capsys, *args):
    with change_context("test"):
        call_command("names", "compare", *args)
    return capsys.readouterr().out


def test_compare_says_it_took_organisation_names_for_organisations(capsys):
    out = _run(capsys, "ОАО «Беларуськалий»", "Belaruskali OJSC")
    first, explanation, kinds = out.splitlines()
    assert "MATCH" in first
    assert "legal form jsc_open on both" in explanation
    assert kinds.strip() == "taken as organisation / organisation, compared as organisation"


def test_compare_keeps_person_output_and_says_person(capsys):
    out = _run(capsys, "Владимир Владимирович Наумов", "Uladzimir Uladzimiravich NAVUMAU")
    first, explanation, kinds = out.splitlines()
    assert first.split()[1] == "MATCH"
    assert "be-ru ending" in explanation
    assert kinds.strip() == "taken as person / person, compared as person"


def test_compare_kind_org_forces_organisation_comparison(capsys):
    # Unmarked single words are taken for person names; --kind org compares them as bodies.
    guessed = _run(capsys, "Belaruskali", "Uralkali", "--json")
    forced = _run(capsys, "Belaruskali", "Uralkali", "--kind", "org", "--json")
    assert json.loads(guessed)["kind"] == "person"
    result = json.loads(forced)
    assert (result["kind1"], result["kind2"], result["kind"]) == ("organisation",) * 3
    assert result["match"] is False and "unmatched" in result["explanation"]


def test_compare_kind_person_forces_person_comparison(capsys):
    out = _run(capsys, "Bank of Armenia", "Bank of America", "--kind", "person")
    assert out.splitlines()[2].strip() == "compared as person (--kind)"


def test_compare_mixed_kinds_compares_as_organisation(capsys):
    result = json.loads(_run(capsys, "KGB", "Uladzimir NAVUMAU", "--json"))
    assert (result["kind1"], result["kind2"], result["kind"]) == (
        "organisation",
        "person",
        "organisation",
    )
    assert result["match"] is False


def test_compare_rejects_unknown_kind(capsys):
    with pytest.raises(ValidationFailed, match="unknown kind 'company'"):
        _run(capsys, "A", "B", "--kind", "company")


def test_compare_file_with_labels_reports_precision_recall_f1(tmp_path, capsys):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "name1,name2,match\n"
        "Bank of Armenia,Bank of America,non-match\n"
        "ААТ «Беларуськалій»,Belaruskali OJSC,match\n"
        "Fund X,Fund XI,match\n",
        encoding="utf-8",
    )
    out = _run(capsys, "--file", str(pairs), "--kind", "org")
    summary = out.splitlines()[-1]
    assert summary.startswith("3 labelled pairs at threshold")
    assert "precision 1.000, recall 0.500, F1 0.667" in summary
    assert "(TP 1, FP 0, FN 1, TN 1)" in summary


def test_compare_file_rejects_bad_label_naming_the_line(tmp_path, capsys):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("name1,name2,match\nKGB,КГБ,match\nMAZ,MTZ,perhaps\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="pairs.csv, line 3: label 'perhaps'"):
        _run(capsys, "--file", str(pairs))


def test_compare_file_in_cp1251_is_a_clear_error_not_a_decode_crash(tmp_path, capsys):
    pairs = tmp_path / "pairs.csv"
    pairs.write_bytes("name1,name2\nАлесь,Алесь\n".encode("cp1251"))
    with pytest.raises(ValidationFailed, match="pairs.csv: is not UTF-8 text"):
        _run(capsys, "--file", str(pairs))


def test_compare_file_in_utf16_is_refused_as_binary(tmp_path, capsys):
    pairs = tmp_path / "pairs.csv"
    pairs.write_bytes("name1,name2\nA,B\n".encode("utf-16"))
    with pytest.raises(ValidationFailed, match="pairs.csv: is a binary file"):
        _run(capsys, "--file", str(pairs))


def test_compare_file_that_is_a_folder_says_folder(tmp_path, capsys):
    with pytest.raises(ValidationFailed, match="is a folder, not a file"):
        _run(capsys, "--file", str(tmp_path))
