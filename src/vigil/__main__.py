"""The `vigil` command: Django's management entry point with Vigil's own commands."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a Vigil command (`vigil --help` lists them)."""
    os.umask(0o077)  # databases, keys and exports are readable by their owner only
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "vigil"
    if len(argv) > 1 and argv[1] in {"demo", "demo-code"}:
        # The demo lives in its own folder and never touches a database it did not create.
        from vigil.demo.location import enter_demo_environment

        enter_demo_environment()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings")
    from vigil.cli import run

    run(argv)


if __name__ == "__main__":
    main()
