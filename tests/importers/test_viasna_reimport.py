"""Re-imports and unforeseen values: a partial file changes only its columns; a value Vigil
cannot read is kept verbatim and flagged "needs review"; only impossible values reject."""

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from tests.importers.test_viasna_import import _fictional_row, _import, _write

from vigil.core.errors import ImportFailed
from vigil.records.models import Act, Event, ExternalId, Information, Person, PersonName, Source

pytestmark = pytest.mark.django_db

OLD_URL = "https://example.org/person/fictional-ivanka-tsvirko"
NEW_URL = "https://example.org/person/fictional-ivanka-tsvirko-2"


def _person() -> Person:
    return Person.objects.get(external_ids__scheme="viasna", external_ids__value="900001")


def _partial(path: Path, **values: str) -> Path:
    row = {"id": "900001", "url": OLD_URL, "name": "Ivanka Tsvirko", "status": "active"}
    row.update(values)
    return _write(path, [row], columns=("id", "url", "name", "status"))


def test_partial_viasna_file_changes_only_the_columns_it_holds(tmp_path):
    _import(_write(tmp_path / "full.csv", [_fictional_row(description="Fictional notes.")]))
    person = _person()
    event = Event.objects.get(acts__victim_person=person, acts__act_type_id="act_type.arrest")
    sentence = Act.objects.get(victim_person=person, act_type_id="act_type.sentence")

    partial = _partial(tmp_path / "partial.csv", name="Ivanka Tsvirko-Nova", status="former")
    report = _import(partial)

    person.refresh_from_db()
    assert person.display_name == "Ivanka Tsvirko-Nova"
    assert (person.birth_date, person.sex, person.notes) == (
        dt.date(1990, 1, 2),
        "female",
        "Fictional notes.",
    )
    assert ExternalId.objects.get(person=person, scheme="viasna").status == "former"
    event.refresh_from_db()
    assert event.title == "Criminal prosecution of Ivanka Tsvirko"
    assert event.date == dt.date(2021, 3, 4)
    sentence.refresh_from_db()
    assert sentence.sentence_months == Decimal(30)
    assert sentence.date == dt.date(2021, 9, 1)
    assert sentence.place is not None and sentence.place_text == "Penal colony No. 4"
    assert sentence.involvements.count() == 1
    assert report.url_changes == []


def test_changed_name_keeps_the_old_one_as_an_alias_and_one_primary_name(tmp_path):
    _import(_write(tmp_path / "full.csv", [_fictional_row()]))
    report = _import(_partial(tmp_path / "partial.csv", name="Ivanka Tsvirko-Nova"))
    names = PersonName.objects.filter(person=_person())
    assert sorted(n.value for n in names.filter(is_primary=True)) == ["Ivanka Tsvirko-Nova"]
    assert [n.value for n in names.filter(is_primary=False)] == ["Ivanka Tsvirko"]
    assert report.renamed == 1
    # Importing the same file again changes nothing and still leaves one primary name.
    again = _import(_partial(tmp_path / "partial.csv", name="Ivanka Tsvirko-Nova"))
    assert again.renamed == 0
    assert again.upsert.total("updated") == 0
    assert names.filter(is_primary=True).count() == 1


def test_changed_url_for_the_same_id_is_reported_and_both_pages_stay_sources(tmp_path, capsys):
    from vigil.accounts.models import User

    _import(_write(tmp_path / "full.csv", [_fictional_row()]))
    path = _partial(tmp_path / "partial.csv", url=NEW_URL)
    User.objects.create(username="fictional-documenter", role="documenter")
    call_command("import", "viasna", str(path), "--json", acting_user="fictional-documenter")
    summary = json.loads(capsys.readouterr().out)
    assert summary["url_changes"] == [{"line": 2, "id": "900001", "old": OLD_URL, "new": NEW_URL}]
    person = _person()
    assert ExternalId.objects.get(person=person, scheme="viasna-url").value == NEW_URL
    cited = Information.objects.filter(target_id=person.pk).values_list("source__url", flat=True)
    assert set(cited) == {OLD_URL, NEW_URL}
    assert Source.objects.filter(url=OLD_URL).exists()


def test_cli_summary_lists_url_changes_and_rows_that_need_review(tmp_path, capsys):
    from vigil.accounts.models import User

    User.objects.create(username="fictional-documenter", role="documenter")
    _import(_write(tmp_path / "full.csv", [_fictional_row()]))
    rows = [
        _fictional_row(url=NEW_URL),
        _fictional_row(id="900002", url="https://example.org/p/2", name="Fictia Secunda",
                       decision="compulsory medical measures", penalty=""),
    ]  # fmt: skip
    call_command(
        "import", "viasna", str(_write(tmp_path / "next.csv", rows)),
        acting_user="fictional-documenter",
    )  # fmt: skip
    out = capsys.readouterr().out
    assert f"line 2: id 900001 was recorded with {OLD_URL}; now {NEW_URL}" in out
    assert "line 3: decision 'compulsory medical measures'" in out
    assert "needs review" in out


def test_compulsory_medical_measure_imports_the_row_kept_verbatim_and_flagged(tmp_path):
    rows = [
        _fictional_row(),
        _fictional_row(
            id="900002",
            url="https://example.org/person/fictional-fictia-secunda",
            name="Fictia Secunda",
            decision="compulsory medical measures",
            penalty="",
        ),
    ]
    report = _import(_write(tmp_path / "medical.csv", rows))
    assert report.problems == []
    assert report.imported == 2
    assert [p.line for p in report.review] == [3]
    assert "decision 'compulsory medical measures'" in report.review[0].reason
    sentence = Act.objects.get(
        victim_person__display_name="Fictia Secunda", act_type_id="act_type.sentence"
    )
    assert sentence.sentence_text == "compulsory medical measures"
    assert sentence.sentence_months is None
    assert "needs review" in sentence.review_note
    assert not Act.objects.filter(victim_person__display_name="Ivanka Tsvirko").exclude(
        review_note=""
    )


def test_unknown_penalty_and_place_are_kept_verbatim_and_flagged(tmp_path):
    row = _fictional_row(
        penalty="placement in a psychiatric hospital with intensive supervision",
        prison_title="Republican psychiatric hospital, Mogilev",
    )
    report = _import(_write(tmp_path / "odd.csv", [row]))
    assert report.problems == []
    [flag] = report.review
    assert "penalty 'placement in a psychiatric hospital" in flag.reason
    assert "prison_title 'Republican psychiatric hospital, Mogilev'" in flag.reason
    sentence = Act.objects.get(act_type_id="act_type.sentence")
    assert sentence.sentence_months == Decimal(30)  # the readable decision is still read
    assert sentence.sentence_text.endswith("with intensive supervision")
    assert sentence.place is None
    assert sentence.place_text == "Republican psychiatric hospital, Mogilev"
    assert "penalty" in sentence.review_note and "prison_title" in sentence.review_note


def test_impossible_values_still_reject_the_row(tmp_path):
    rows = [
        _fictional_row(birthday="1990-02-30"),
        _fictional_row(id="900002", decision="150 years"),
    ]
    with pytest.raises(ImportFailed) as err:
        _import(_write(tmp_path / "impossible.csv", rows))
    lines = [line for line, _ in err.value.problems]
    assert lines == [2, 3]
    assert "1990-02-30" in err.value.problems[0][1]
    assert Person.all_objects.count() == 0


def test_review_flag_is_cleared_when_a_later_file_holds_a_readable_value(tmp_path):
    _import(_write(tmp_path / "a.csv", [_fictional_row(decision="compulsory medical measures")]))
    assert Act.objects.exclude(review_note="").count() == 1
    _import(_write(tmp_path / "b.csv", [_fictional_row()]))
    assert Act.objects.exclude(review_note="").count() == 0
    assert Act.objects.get(act_type_id="act_type.sentence").sentence_months == Decimal(30)


def test_the_sample_rows_import_unchanged_by_the_review_rules(shared_data):
    sample = shared_data / "viasna" / "prisoners_sample.csv"
    report = _import(sample)
    assert report.review == []
    with sample.open(encoding="utf-8", newline="") as handle:
        assert report.imported == sum(1 for _ in csv.DictReader(handle))


def test_partial_file_without_urls_cites_no_placeholder_page_for_a_recorded_person(tmp_path):
    _import(_write(tmp_path / "full.csv", [_fictional_row()]))
    sources, citations = Source.objects.count(), Information.objects.count()
    path = _write(
        tmp_path / "names.csv",
        [{"id": "900001", "name": "Ivanka Tsvirko-Nova"}],
        columns=("id", "name"),
    )
    _import(path)
    assert (Source.objects.count(), Information.objects.count()) == (sources, citations)
    assert _person().display_name == "Ivanka Tsvirko-Nova"
    assert ExternalId.objects.get(person=_person(), scheme="viasna-url").value == OLD_URL


def test_a_primary_name_chosen_by_an_analyst_survives_a_reimport(tmp_path):
    from vigil.core.context import change_context

    path = _write(tmp_path / "full.csv", [_fictional_row()])
    _import(path)
    person = _person()
    with change_context("test"):
        latin = PersonName.objects.get(person=person, value="Ivanka Tsvirko")
        latin.is_primary = False
        latin.save()
        PersonName.objects.create(
            person=person, value="Іванка Цвірко", script="Cyrl", is_primary=True
        )
    _import(path)
    primary = PersonName.objects.filter(person=person, is_primary=True)
    assert [n.value for n in primary] == ["Іванка Цвірко"]


def test_renaming_back_to_an_earlier_name_makes_it_primary_again(tmp_path):
    _import(_write(tmp_path / "full.csv", [_fictional_row()]))
    _import(_partial(tmp_path / "new.csv", name="Ivanka Tsvirko-Nova"))
    report = _import(_partial(tmp_path / "back.csv", name="Ivanka Tsvirko"))
    assert report.renamed == 1
    primary = PersonName.objects.filter(person=_person(), is_primary=True)
    assert [n.value for n in primary] == ["Ivanka Tsvirko"]
    assert PersonName.objects.filter(person=_person()).count() == 2
