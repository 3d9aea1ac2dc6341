"""Requirement 11 for the CLI: data commands act as a named user, through the same policy."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command, get_commands, load_command_class

from vigil.core.context import change_context
from vigil.core.errors import Forbidden
from vigil.policy.acting import ENV, ActingCommand, hoist_as
from vigil.records.models import Person

pytestmark = pytest.mark.django_db

DATA_COMMANDS = {
    "import",
    "stats",
    "report",
    "country-report",
    "opendata",
    "sanctions",
    "responses",
    "evidence",
}
OPERATOR_COMMANDS = {"init", "keys", "backup", "lockdown", "audit", "serve", "demo", "purge"}


def _stats(*args: str, **options: str) -> dict[str, object]:
    out = StringIO()
    call_command("stats", "--json", *args, stdout=out, **options)
    return json.loads(out.getvalue())


def test_req11_every_data_command_acts_as_a_user_and_no_operator_command_does():
    commands = get_commands()
    for name in DATA_COMMANDS:
        assert isinstance(load_command_class(commands[name], name), ActingCommand), name
    for name in OPERATOR_COMMANDS:
        assert not isinstance(load_command_class(commands[name], name), ActingCommand), name


def test_req11_data_command_without_a_user_is_refused(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    with pytest.raises(Forbidden, match="--as USERNAME"):
        _stats()


@pytest.mark.parametrize("problem", ["unknown", "inactive", "no role"])
def test_req11_unknown_disabled_or_roleless_user_is_refused(make_user, problem):
    user = make_user("fictional-operator")
    if problem == "inactive":
        user.is_active = False
    if problem == "no role":
        user.role = "superhero"
    user.save()
    name = "fictional-nobody" if problem == "unknown" else user.username
    with pytest.raises(Forbidden, match="No active Vigil account"):
        _stats(acting_user=name)


def test_req11_counts_are_those_the_acting_user_may_see(make_user):
    admin, analyst = make_user("fictional-admin", "admin"), make_user("fictional-analyst")
    with change_context("test"):
        Person.objects.create(display_name="Fictional Open Person")
        Person.objects.create(display_name="Fictional Secret Person", confidentiality="secret")
    assert _stats(acting_user=admin.username)["persons"] == 2
    assert _stats(acting_user=analyst.username)["persons"] == 1


def test_req11_acting_user_can_come_from_the_environment(make_user, monkeypatch):
    analyst = make_user("fictional-analyst")
    monkeypatch.setenv(ENV, analyst.username)
    assert _stats()["persons"] == 0


def test_req11_viewer_may_not_import(make_user, tmp_path):
    viewer = make_user("fictional-viewer", "viewer")
    path = tmp_path / "list.csv"
    path.write_text("header\n", encoding="utf-8")
    with pytest.raises(Forbidden, match="may not add internal records"):
        call_command("import", "viasna", str(path), acting_user=viewer.username)


def test_req11_hidden_person_is_not_found_by_a_report_command(make_user, tmp_path):
    analyst = make_user("fictional-analyst")
    with change_context("test"):
        Person.objects.create(display_name="Fictional Hidden Defender", confidentiality="secret")
    with pytest.raises(Exception, match="no person named"):
        call_command(
            "report",
            "brief",
            "Fictional Hidden Defender",
            "-o",
            str(tmp_path / "b.docx"),
            acting_user=analyst.username,
        )
    assert not (tmp_path / "b.docx").exists()


def test_req11_as_option_may_follow_the_sub_command_on_the_command_line(make_user, capsys):
    from vigil.responses.management.commands.responses import Command

    analyst = make_user("fictional-analyst")
    Command().run_from_argv(["vigil", "responses", "gap", "--json", "--as", analyst.username])
    assert json.loads(capsys.readouterr().out)["detained_without_response"] == []


def test_req11_as_option_is_moved_before_the_sub_command():
    argv = ["vigil", "sanctions", "gap", "--format", "csv", "--as", "fictional-analyst"]
    assert hoist_as(argv) == [
        "vigil",
        "sanctions",
        "--as",
        "fictional-analyst",
        "gap",
        "--format",
        "csv",
    ]
    assert hoist_as(["vigil", "stats", "--as=fictional-analyst"]) == [
        "vigil",
        "stats",
        "--as=fictional-analyst",
    ]
