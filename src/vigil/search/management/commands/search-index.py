"""`vigil search-index`: rebuild the search index (names and full text) from the record."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.core.management.base import BaseCommand

from vigil.records.batch import analyse_grown_tables
from vigil.search.rebuild import rebuild_all
from vigil.search.sync import catch_up, lag


class Command(BaseCommand):
    help = "Rebuild the search index of names and texts (or --catch-up with recent history)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--catch-up",
            action="store_true",
            help="only replay history written since the index was last current (after imports)",
        )
        parser.add_argument("--no-progress", action="store_true", help="print no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["catch_up"]:
            pending = lag()
            catch_up(limit=None)
            analyse_grown_tables()  # a bulk write of the index, as a rebuild is
            self.stdout.write(f"search index caught up with {pending} history rows")
            return
        report = rebuild_all(None if options["no_progress"] else self._progress)
        self.stdout.write(
            f"search index rebuilt: {report.persons} persons, {report.documents} text documents"
        )

    def _progress(self, steps: Iterable[Any], total: int) -> Iterable[Any]:
        """A tqdm bar when tqdm is installed, else a line per tenth of the work."""
        try:
            from tqdm import tqdm
        except ImportError:
            return self._lines(steps, total)
        return tqdm(steps, total=total, unit="batch")

    def _lines(self, steps: Iterable[Any], total: int) -> Iterator[Any]:
        every = max(1, total // 10)
        for done, step in enumerate(steps, 1):
            yield step
            if done % every == 0 or done == total:
                self.stderr.write(f"  {done}/{total} batches")
