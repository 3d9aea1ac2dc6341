"""`vigil custody rebuild`: recompute the stored custody of every person from their acts."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from vigil.core.context import change_context
from vigil.records.custody_store import rebuild


class Command(BaseCommand):
    help = "Stored custody per person: `rebuild` recomputes it from the acts (after a restore)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "action", choices=["rebuild"], help="rebuild: recompute every person's stored custody"
        )
        parser.add_argument("--no-progress", action="store_true", help="print no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        bar: Any = None
        if not options["no_progress"]:
            from tqdm import tqdm

            bar = tqdm(total=0, unit="person", disable=None, leave=False)

        def advance(done: int, total: int) -> None:
            if bar is not None:
                bar.total = total
                bar.update(done - bar.n)

        start = time.perf_counter()
        with change_context("cli", detail="custody rebuild"):
            persons = rebuild(advance)
        if bar is not None:
            bar.close()
        seconds = time.perf_counter() - start
        self.stdout.write(f"stored custody rebuilt: {persons} persons in {seconds:.1f} s")
