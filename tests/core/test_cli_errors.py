"""The CLI's usage errors: a message and exit code 2, never "internal error" or a blank line."""

import datetime as dt

import pytest

from vigil.cli import run
from vigil.core.context import change_context
from vigil.records.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(db):
    from vigil.accounts.models import User

    return User.objects.get_or_create(username="fictional-analyst", defaults={"role": "analyst"})[0]


@pytest.fixture
def eu_list(db, shared_data):
    from vigil.sanctions.lists import import_list

    with change_context("test"):
        import_list(
            "eu-765",
            shared_data / "sanctions" / "eu_reg_765_2006_annexI.csv",
            version_date=dt.date(2026, 7, 17),
        )


def _fails(argv: list[str], capsys) -> str:
    """Run the CLI; assert it exits 2 without a traceback or "internal error"; its stderr."""
    with pytest.raises(SystemExit) as exited:
        run(["vigil", *argv])
    err = capsys.readouterr().err
    assert exited.value.code == 2, err
    assert "Traceback" not in err
    assert "internal error" not in err
    return err


def test_cli_unknown_command_exits_2_naming_the_command(capsys):
    err = _fails(["no-such-command"], capsys)
    assert "unknown command 'no-such-command'" in err


def test_report_wgad_refuses_an_empty_person_instead_of_drafting_for_a_withheld_name(
    analyst, tmp_path, capsys
):
    with change_context("test"):
        Person.objects.create(display_name="", name_withheld=True)
    out = tmp_path / "draft.docx"
    err = _fails(["report", "wgad", "", "-o", str(out), "--as", analyst.username], capsys)
    assert "empty one names nobody" in err
    assert not out.exists()


def test_report_to_a_missing_folder_is_refused_before_drafting(analyst, capsys):
    with change_context("test"):
        person = Person.objects.create(display_name="Fictional Prisoner")
    err = _fails(
        ["report", "wgad", str(person.pk), "-o", "/no/such/dir/x.pdf", "--format", "pdf",
         "--as", analyst.username],
        capsys,
    )  # fmt: skip
    assert "the folder /no/such/dir does not exist" in err


def test_sanctions_gap_to_a_missing_folder_is_a_clear_error(analyst, capsys):
    err = _fails(
        ["sanctions", "gap", "--format", "csv", "-o", "/no/such/dir/gap.csv",
         "--as", analyst.username],
        capsys,
    )  # fmt: skip
    assert "the folder /no/such/dir does not exist" in err


def test_sanctions_screen_refuses_a_binary_file_by_name(analyst, eu_list, tmp_path, capsys):
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x02\x89PNG")
    err = _fails(["sanctions", "screen", str(binary), "--as", analyst.username], capsys)
    assert f"{binary}: is a binary file" in err


def test_sanctions_screen_refuses_a_file_that_is_not_utf8(analyst, eu_list, tmp_path, capsys):
    latin = tmp_path / "names.txt"
    latin.write_bytes("Наумов\n".encode("cp1251"))
    err = _fails(["sanctions", "screen", str(latin), "--as", analyst.username], capsys)
    assert "is not UTF-8 text" in err


def test_sanctions_screen_of_an_empty_file_says_there_are_no_names(
    analyst, eu_list, tmp_path, capsys
):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n# only a comment\n\n", encoding="utf-8")
    err = _fails(["sanctions", "screen", str(empty), "--as", analyst.username], capsys)
    assert "no names to screen" in err


def test_sanctions_screen_of_empty_standard_input_says_there_are_no_names(
    analyst, eu_list, monkeypatch, capsys
):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    err = _fails(["sanctions", "screen", "-", "--as", analyst.username], capsys)
    assert "standard input: no names to screen" in err


def test_a_folder_that_cannot_be_made_is_a_clear_error_not_an_internal_one(
    tmp_path, capsys, django_user_model
):
    django_user_model.objects.create_user(username="fictional-admin", password=None, role="admin")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    err = _fails(
        ["opendata", "export", "--format", "csv", "-o", str(blocker / "open"),
         "--as", "fictional-admin"],
        capsys,
    )  # fmt: skip
    assert str(blocker / "open") in err


def test_running_a_command_in_process_leaves_logging_bound_where_it_was(capsys):
    """A second `run` in one process (tests, an embedding script) used to set Django up again,
    and Django's setup binds the log handler to the stderr of that moment: after a test's
    captured stream closed, every warning logged went to a closed file ("Logging error")."""
    import logging

    before = [getattr(h, "stream", None) for h in logging.getLogger().handlers]
    run(["vigil", "--help"])
    capsys.readouterr()
    assert [getattr(h, "stream", None) for h in logging.getLogger().handlers] == before
