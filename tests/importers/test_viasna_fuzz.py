"""Fuzzing the Viasna importer with hostile values: only VigilErrors, and a refused import
changes nothing; what an accepted import stores passed the validation layer."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.core import validation
from vigil.core.context import change_context
from vigil.core.errors import VigilError
from vigil.core.models import Version, VersionBatch
from vigil.importers.viasna import COLUMNS, WRITE_ORDER, import_viasna
from vigil.records.models import Person, Source

GOOD = {
    "id": "1",
    "url": "https://example.org/person/fictional-ivanka-tsvirko",
    "name": "Ivanka Tsvirko",
    "gender": "female",
    "birthday": "1990-01-02",
    "arrested": "2021-03-04",
    "articles": "Part 2 of Art. 342 of the Criminal Code",
    "decision": "2 years",
    "penalty": "imprisonment in a general-security penal colony",
    "judge": "Zmitrok Fictionaly",
    "verdict_date": "2021-09-01",
}
HOSTILE = {
    "name": ["Fictia\x00Testovna", "Fictia\x1bTestovna", "   ", "\u202eanvotseT", "N" * 501],
    "birthday": ["9999-12-31", "0001-01-01", "1899-12-31", "2020-02-30"],
    "arrested": ["0001-01-01", "9999-12-31"],
    "release_date": ["9999-12-31"],
    "decision": ["999999999 years", "101 years", "1e9 years"],
    "url": ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "https://"],
    "judge": ["Judge\x07Fictus"],
    "description": ["x" * (validation.MAX_TEXT + 1), "nul\x00inside"],
    "gender": ["\x00"],
}


@st.composite
def fuzzed_rows(draw) -> tuple[bytes, bool]:
    """A Viasna CSV of good rows with hostile values dropped in; whether it repeats a column."""
    rows = []
    for i in range(draw(st.integers(1, 4))):
        row = {**dict.fromkeys(COLUMNS, ""), **GOOD, "id": str(100 + i)}
        for column in draw(st.lists(st.sampled_from(sorted(HOSTILE)), max_size=2, unique=True)):
            row[column] = draw(st.sampled_from(HOSTILE[column]))
        if draw(st.booleans()):
            column = draw(st.sampled_from(COLUMNS[2:]))
            row[column] = draw(st.text(max_size=8))
        rows.append(row)
    header = list(COLUMNS)
    repeat = draw(st.integers(0, 3)) == 0
    if repeat:
        header.append(draw(st.sampled_from(COLUMNS)))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row[c] for c in header])
    return out.getvalue().encode("utf-8"), repeat


def _snapshot() -> dict[str, list[tuple[str, int]]]:
    found = {
        model.__name__: sorted(
            (str(pk), v) for pk, v in model.all_objects.values_list("pk", "version")
        )
        for model in WRITE_ORDER
    }
    found["Version"] = [("count", Version.objects.count())]
    # The history of a bulk write is one batch row per model and write.
    found["VersionBatch"] = [("count", VersionBatch.objects.count())]
    return found


def _stored_values_are_valid() -> None:
    latest = dt.date.today() + validation.MAX_BIRTH_AHEAD
    for person in Person.all_objects.all():
        if person.display_name:
            validation.check_name(person.display_name, "display_name")
        if person.birth_date:
            assert dt.date(validation.EARLIEST_YEAR, 1, 1) <= person.birth_date <= latest
    for source in Source.all_objects.exclude(url=""):
        validation.check_url(source.url, "url")


@pytest.mark.slow
@pytest.mark.django_db
@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fuzzed_rows())
def test_fuzzed_viasna_import_raises_only_vigil_errors_and_a_refusal_changes_nothing(
    tmp_path: Path, fuzzed: tuple[bytes, bool]
):
    data, repeated_column = fuzzed
    # A database already holding an imported row, which a refused import must leave alone.
    base = tmp_path / "base.csv"
    out = io.StringIO()
    good = {**dict.fromkeys(COLUMNS, ""), **GOOD}
    csv.writer(out).writerows([COLUMNS, [good[c] for c in COLUMNS]])
    base.write_text(out.getvalue(), encoding="utf-8")
    with change_context("test"):
        import_viasna(base)
    before = _snapshot()
    path = tmp_path / "fuzzed.csv"
    path.write_bytes(data)
    with change_context("test"):
        try:
            import_viasna(path)
        except VigilError as exc:
            assert exc.message
            assert _snapshot() == before, "a refused import changed the database"
            return
    assert not repeated_column, "a header naming a column twice was accepted"
    _stored_values_are_valid()
