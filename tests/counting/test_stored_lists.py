"""Stored lists: CSV with a column mapping, the record as a list, linking, review, estimate."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tests.counting.test_stored_estimates import fictional_lists
from vigil.accounts.models import Role, User
from vigil.audit.models import AuditEntry
from vigil.core.context import change_context
from vigil.core.errors import Forbidden, NotFound, ValidationFailed
from vigil.counting.link_runs import (
    clusters,
    decide,
    estimate_run,
    linked_lists,
    overlap,
    run_link,
)
from vigil.counting.list_import import RowsRefused, parse_mapping, read_rows
from vigil.counting.models import Decision, LinkDecision, LinkPair, ListRow, PersonList
from vigil.counting.stored import reproduces
from vigil.counting.stored_lists import add_list, finish_upload, start_upload
from vigil.counting.stored_lists import parse_date as day
from vigil.policy.access import restrict
from vigil.reports.record_list import list_from_record

pytestmark = pytest.mark.django_db

PARTNER = (
    "№;ФИО;Дата рождения;Пол;Город\n"
    "7;Fictional Ales KALOMIR;1971-03-12;м;Fictiongrad\n"
    "8;Fictional Volha ZANTU;12.04.1985;ж;\n"
    "9;Fictional Pavel DORSHI;1990;;\n"
)
PARTNER_MAP = "id=№,name=ФИО,birth_date=Дата рождения,sex=Пол,place=Город"


def _user(name: str, role: str) -> User:
    return User.objects.create_user(f"fictional-{name}", "", "x" * 20, role=role)


@pytest.fixture
def analyst() -> User:
    return _user("lists-analyst", Role.ANALYST)


@pytest.fixture
def viewer() -> User:
    return _user("lists-viewer", Role.VIEWER)


def _lists(*args: str, user: User) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("lists", "--as", user.username, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _add(user: User, name: str, text: str, mapping: str, date: str = "2026-11-01") -> PersonList:
    with change_context("test", actor=user):
        return add_list(user, name, day(date), text, parse_mapping(mapping)).list


def test_a_mapping_reads_any_header_and_every_bad_row_is_reported_with_its_line():
    rows = read_rows(PARTNER, parse_mapping(PARTNER_MAP))
    assert [(r.key, r.line) for r in rows] == [("7", 2), ("8", 3), ("9", 4)]
    assert rows[0].fields == {"name": "Fictional Ales KALOMIR", "birth_date": "1971-03-12",
                              "sex": "m", "place": "Fictiongrad"}
    bad = "ФИО,born,id\n,1970,1\nFictional A,yesterday,2\nFictional B,1970,2\nFictional C,,3\n"
    with pytest.raises(RowsRefused) as caught:
        read_rows(bad, parse_mapping("name=ФИО,birth_date=born,id=id"))
    assert [(p.line, p.reason) for p in caught.value.problems] == [
        (2, "the name is empty"),
        (3, "birth_date 'yesterday' is not a date (YYYY-MM-DD, DD.MM.YYYY or a year)"),
        (4, "id '2' repeats line 3"),
    ]
    with pytest.raises(ValidationFailed, match="does not have"):
        read_rows(PARTNER, parse_mapping("name=Name"))
    with pytest.raises(ValidationFailed, match="unknown field 'nmae'"):
        parse_mapping("nmae=ФИО")


def test_a_list_keeps_its_rows_encrypted_and_adding_it_again_changes_nothing(analyst):
    plist = _add(analyst, "Fictional partner list", PARTNER, PARTNER_MAP)
    assert (plist.row_count, plist.confidentiality, plist.kind) == (3, "restricted", "file")
    row = ListRow.objects.get(list=plist, key="7")
    assert row.fields()["name"] == "Fictional Ales KALOMIR"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT data FROM {ListRow._meta.db_table}")  # noqa: S608
        stored = " ".join(r[0] for r in cursor.fetchall())
    assert "KALOMIR" not in stored and "1971" not in stored
    again = _add(analyst, "Fictional partner list", PARTNER, PARTNER_MAP)
    assert again.pk == plist.pk and ListRow.objects.count() == 3
    assert AuditEntry.objects.filter(event="list_import").count() == 1
    with pytest.raises(ValidationFailed, match="never rewritten"):
        _add(analyst, "Fictional partner list", PARTNER + "10;Fictional New ROW;;;\n", PARTNER_MAP)
    assert ListRow.objects.count() == 3


def test_a_bad_file_writes_nothing(analyst):
    bad = PARTNER + "11;;1980;;\n12;Fictional Q;1980;x;\n"
    with pytest.raises(RowsRefused, match="2 bad rows") as caught:
        _add(analyst, "Fictional bad list", bad, PARTNER_MAP)
    assert "line 5: the name is empty" in str(caught.value)
    assert "line 6: sex 'x' is not m/f/male/female" in str(caught.value)
    assert not PersonList.all_objects.exists() and not ListRow.objects.exists()


def test_an_upload_waits_encrypted_for_its_mapping_then_drops_the_file(analyst):
    with change_context("test", actor=analyst):
        plist = start_upload(analyst, "Fictional upload", day("2026-10-01"), PARTNER)
        assert plist.header == ["№", "ФИО", "Дата рождения", "Пол", "Город"]
        assert plist.status == "mapping" and not ListRow.objects.exists()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pending FROM {PersonList._meta.db_table}")  # noqa: S608
            assert "KALOMIR" not in cursor.fetchone()[0]
        added = finish_upload(analyst, PersonList.objects.get(pk=plist.pk),
                              parse_mapping(PARTNER_MAP))
    stored = PersonList.objects.get(pk=added.list.pk)
    assert stored.status == "ready" and stored.pending is None and stored.row_count == 3


def test_a_viewer_sees_no_restricted_list_and_may_not_add_one(analyst, viewer):
    plist = _add(analyst, "Fictional partner list", PARTNER, PARTNER_MAP)
    assert not restrict(viewer, "view", PersonList.objects.all()).exists()
    assert not restrict(viewer, "view", ListRow.objects.filter(list=plist)).exists()
    with pytest.raises(Forbidden):
        _add(viewer, "Fictional viewer list", PARTNER, PARTNER_MAP)
    out, _ = _lists("list", user=viewer)
    assert "Fictional partner list" not in out


def _three_lists(tmp_path: Path, user: User) -> list[PersonList]:
    return [
        _add(user, path.stem, path.read_text(), "id=id,name=name,birth_date=birth_date")
        for path in fictional_lists(tmp_path)
    ]


def test_linking_stored_lists_keeps_pairs_and_never_touches_the_rows(tmp_path, analyst):
    lists = _three_lists(tmp_path, analyst)
    before = {r.pk: r.data for r in ListRow.objects.all()}
    with change_context("test", actor=analyst):
        run = run_link(analyst, lists)
    assert run.pairs.filter(match=True).count() > 30
    assert len(run.summary["pairs_of_lists"]) == 3
    assert all(p["blocking_recall"] > 0.9 for p in run.summary["pairs_of_lists"])
    assert {r.pk: r.data for r in ListRow.objects.all()} == before
    assert run.confidentiality == "restricted"
    # The estimate's inputs name rows by position on their list, never by name.
    inputs = json.dumps(linked_lists(run).as_json())
    assert "Ales" not in inputs and "ours" in inputs


def test_decisions_are_stored_audited_undoable_and_used_by_the_estimate(tmp_path, analyst):
    lists = _three_lists(tmp_path, analyst)[:2]  # two lists: no third list joins the pair again
    with change_context("test", actor=analyst):
        run = run_link(analyst, lists)
    match = run.pairs.filter(match=True).order_by("probability").first()
    observed = overlap(run).observed
    with change_context("test", actor=analyst):
        decide(analyst, match, "different")
    assert LinkPair.objects.get(pk=match.pk).decision == Decision.DIFFERENT
    assert overlap(run).observed == observed + 1  # the two rows are two persons now
    with change_context("test", actor=analyst):
        decide(analyst, LinkPair.objects.get(pk=match.pk), "undo")
    assert overlap(run).observed == observed
    assert list(LinkDecision.objects.filter(pair=match).values_list("decision", flat=True)) == [
        "different", "pending"]
    assert AuditEntry.objects.filter(event="link_decision").count() == 2
    with change_context("test", actor=analyst), pytest.raises(ValidationFailed):
        decide(analyst, LinkPair.objects.get(pk=match.pk), "undo")
    # A confirmed pair is certain: probability 1 in the estimate's links.
    with change_context("test", actor=analyst):
        decide(analyst, LinkPair.objects.get(pk=match.pk), "same")
    probabilities = {(link.a, link.b): link.probability for link in linked_lists(run).links}
    left, right = match.left, match.right
    key = ((left.list.name, str(left.position)), (right.list.name, str(right.position)))
    assert probabilities[key] == 1.0
    assert ListRow.objects.get(pk=left.pk).data == left.data  # a link is not a merge


def test_clusters_show_their_confidence_least_certain_first(tmp_path, analyst):
    lists = _three_lists(tmp_path, analyst)
    with change_context("test", actor=analyst):
        run = run_link(analyst, lists)
    found = clusters(run)
    assert found and all(0.5 <= c.confidence <= 1.0 for c in found)
    assert [c.confidence for c in found] == sorted(c.confidence for c in found)
    assert max(c.size for c in found) == 3


def test_a_viewer_may_not_decide_pairs(tmp_path, analyst, viewer):
    lists = _three_lists(tmp_path, analyst)
    with change_context("test", actor=analyst):
        run = run_link(analyst, lists)
    pair = run.pairs.first()
    with change_context("test", actor=viewer), pytest.raises(Forbidden):
        decide(viewer, pair, "same")
    assert not LinkDecision.objects.exists()


@pytest.mark.slow  # ~1.0 s a run on a quiet 2-core machine
def test_the_estimate_from_a_run_is_stored_and_recomputes_exactly(tmp_path, analyst):
    lists = _three_lists(tmp_path, analyst)
    with change_context("test", actor=analyst):
        run = run_link(analyst, lists)
        result, row = estimate_run(analyst, run, seed=5, draws=5, save="Fictional lists",
                                   category="detained")
    assert row.interval_low <= row.estimate <= row.interval_high
    assert row.command == (
        f"vigil lists estimate {run.pk} --method loglinear --seed 5 --link-draws 5"
    )
    same, _ = reproduces(row)
    assert same
    assert result.observed == overlap(run).observed


def test_the_record_is_a_list_without_its_names_in_clear(analyst):
    from vigil.records.models import Person

    with change_context("test", actor=analyst):
        Person.objects.create(display_name="Fictional Recorded PERSON", confidentiality="internal")
        added = list_from_record(analyst, "Our record", day("2026-12-01"))
    assert added.list.kind == "record" and added.list.row_count == 1
    assert added.list.confidentiality == "restricted"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT data FROM {ListRow._meta.db_table}")  # noqa: S608
        assert "Recorded" not in cursor.fetchone()[0]
    assert ListRow.objects.get().fields()["name"] == "Fictional Recorded PERSON"


def test_the_command_adds_links_reviews_decides_and_estimates(tmp_path, analyst):
    paths = fictional_lists(tmp_path)
    for path in paths:
        out, _ = _lists("add", path.stem, str(path), "--date", "2026-11-01",
                        "--map", "id=id,name=name,birth_date=birth_date", user=analyst)
        assert out.startswith("Added list")
    out, _ = _lists("add", "ours", str(paths[0]), "--date", "2026-11-01",
                    "--map", "id=id,name=name,birth_date=birth_date", user=analyst)
    assert out.startswith("Unchanged")
    out, _ = _lists(user=analyst)
    assert out.count("rows") == 3
    out, _ = _lists("link", "ours", "theirs", "partner", user=analyst)
    run_id = out.split()[2].rstrip(":")
    assert "blocking recall" in out
    out, _ = _lists("review", run_id, "--all", "--json", user=analyst)
    pairs = [json.loads(line) for line in out.splitlines()]
    assert pairs and {"pair", "probability", "left", "right", "decision"} <= set(pairs[0])
    out, _ = _lists("decide", str(pairs[0]["pair"]), "same", user=analyst)
    assert "Same person" in out
    out, err = _lists("estimate", run_id, "--seed", "3", "--link-draws", "3", "--json",
                      "--save", "Fictional run", "--category", "detained", user=analyst)
    assert json.loads(out)["interval"][0] <= json.loads(out)["estimate"]
    assert "Stored as" in err


def test_the_command_refuses_an_unknown_list_and_a_missing_file(tmp_path, analyst):
    with pytest.raises(NotFound):
        _lists("link", "nowhere", "nothing", user=analyst)
    with pytest.raises(ValidationFailed, match="no such file"):
        _lists("add", "x", str(tmp_path / "none.csv"), "--date", "2026-01-01",
               "--map", "name=name", user=analyst)


def test_the_record_as_a_list_of_one_category_holds_only_those_persons(analyst):
    import datetime as dt

    from vigil.records.models import Act, Event, Person, Term

    with change_context("test", actor=analyst):
        event = Event.objects.create(title="Fictional detention")
        detained = Person.objects.create(display_name="Fictional Detained ONE")
        Person.objects.create(display_name="Fictional Free TWO")
        Act.objects.create(event=event, victim_person=detained, date=dt.date(2021, 1, 1),
                           act_type_id=Term.pk_for("act_type", "arrest"))
        added = list_from_record(analyst, "Our detained", day("2026-12-01"), "detained")
        everyone = list_from_record(analyst, "Our record", day("2026-12-01"))
    assert [r.fields()["name"] for r in added.list.rows.all()] == ["Fictional Detained ONE"]
    assert ListRow.objects.get(list=added.list).key == str(detained.pk)
    assert everyone.list.row_count == 2
    with change_context("test", actor=analyst), pytest.raises(ValidationFailed):
        list_from_record(analyst, "Nobody", day("2026-12-01"), "lawyers_persecuted")
