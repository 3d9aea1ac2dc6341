"""Run management commands with Vigil's help screen and error mapping (message + exit 2)."""

from __future__ import annotations

import os
import sys

import django
from django.apps import apps
from django.core.management import ManagementUtility, get_commands, load_command_class

from vigil.core.errors import ValidationFailed, VigilError

# Django's own commands that a Vigil user needs, shown after Vigil's.
USEFUL_DJANGO = ("migrate", "changepassword", "check", "shell", "dbshell")


def _help_text() -> str:
    commands = get_commands()
    own = sorted(name for name, app in commands.items() if app.startswith("vigil"))
    lines = ["usage: vigil <command> [options]", "", "Vigil commands:"]
    for name in own:
        help_line = (load_command_class(commands[name], name).help or "").strip().splitlines()
        lines.append(f"  {name:<12} {help_line[0] if help_line else ''}")
    lines += ["", "Django commands: " + ", ".join(c for c in USEFUL_DJANGO if c in commands)]
    lines += ["", "`vigil <command> --help` explains a command."]
    return "\n".join(lines)


def run(argv: list[str]) -> None:
    """Dispatch argv to a management command; a VigilError becomes a message and exit code 2."""
    try:
        if not apps.ready:  # once per process: a second setup would bind logging to today's stderr
            django.setup()
        if len(argv) < 2 or argv[1] in {"-h", "--help", "help"} and len(argv) == 2:
            print(_help_text())
            return
        name = argv[1]
        if not name.startswith("-") and name != "help" and name not in get_commands():
            raise ValidationFailed(f"unknown command {name!r}; `vigil --help` lists the commands")
        ManagementUtility(argv).execute()
    except VigilError as exc:
        print(f"vigil: error: {exc.message}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except BrokenPipeError:  # output piped into `head` and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except OSError as exc:  # a file or folder the user named cannot be read or written
        if os.environ.get("VIGIL_DEBUG"):
            raise
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"vigil: error: {exc.strerror or exc}{where}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("vigil: interrupted; nothing half-written was kept", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # a stack trace shown to a user is a bug: name it instead
        if os.environ.get("VIGIL_DEBUG"):
            raise
        print(
            f"vigil: internal error ({type(exc).__name__}). This is a bug in Vigil; "
            "run again with VIGIL_DEBUG=1 to see the details.",
            file=sys.stderr,
        )
        sys.exit(1)
