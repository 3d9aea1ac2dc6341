"""Every option and argument of Vigil's own commands says what it is in `vigil CMD --help`."""

from __future__ import annotations

import argparse

from django.core.management import get_commands, load_command_class

# Django's own options every command has; Django documents them.
DJANGO_OPTIONS = frozenset(
    {"verbosity", "settings", "pythonpath", "traceback", "no_color", "force_color", "skip_checks"}
)


def _undocumented(parser: argparse.ArgumentParser, name: str) -> list[str]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub, subparser in action.choices.items():
                found += _undocumented(subparser, f"{name} {sub}")
            continue
        if isinstance(action, argparse._HelpAction | argparse._VersionAction):
            continue
        if action.dest in DJANGO_OPTIONS or action.help == argparse.SUPPRESS:
            continue
        if not (action.help or "").strip():
            found.append(f"vigil {name} {'/'.join(action.option_strings) or action.dest}")
    return found


def _vigil_commands() -> list[tuple[str, str]]:
    return sorted((c, app) for c, app in get_commands().items() if app.startswith("vigil"))


def test_vigil_has_its_own_commands_to_check():
    names = {c for c, _ in _vigil_commands()}
    assert {"import", "sanctions", "warning", "backup", "report"} <= names


def test_every_option_and_argument_of_every_vigil_command_has_a_help_text():
    missing = []
    for command, app in _vigil_commands():
        parser = load_command_class(app, command).create_parser("vigil", command)
        missing += _undocumented(parser, command)
    assert missing == [], "\n".join(missing)


def test_an_option_without_help_is_found():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers().add_parser("score")
    sub.add_argument("--horizon")
    sub.add_argument("--at", help="date of the scores")
    assert _undocumented(parser, "warning") == ["vigil warning score --horizon"]
