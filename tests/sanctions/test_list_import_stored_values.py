"""The real OFAC SDN list stored exactly as before the import was made faster (issue 14 §3).

The import reads dates without strptime, builds its JSON by hand and writes rows without a
model object each; none of that may change a stored value. The constants below were computed
by the previous code (model objects and Django's own JSON encoding) on the same real file:
the digest of every stored entity, and the fingerprints of known entities. An unchanged
fingerprint is what lets a re-import after the upgrade recognise unchanged entities.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from tests.conftest import shared_data_dir
from tests.module_data import built_once

from vigil.core.context import change_context
from vigil.sanctions.entity_rows import INSERT_FIELDS
from vigil.sanctions.lists import import_list
from vigil.sanctions.models import ListChange, ListedEntity, SanctionsList

pytestmark = pytest.mark.django_db

STORED = (
    "entity_id", "schema", "caption", "names", "birth_dates", "birth_places", "gender",
    "nationalities", "positions", "programme", "listing_date", "measures", "reason",
    "fingerprint", "active", "first_seen", "removed_in",
)  # fmt: skip
# Computed by the previous import (before issue 14 §3's list work) from the real sdn.csv.
OFAC_ENTITIES = 8976
OFAC_STORED_DIGEST = "8d4eefea61dda2a558394ea5f08eaace927295f095137bc5a1284a1171d0ec8e"
FINGERPRINTS = {
    "10574": "e56905b5fa91ec0270fea95840aeb45b357a2e59bc15bf744bcb47e0ac4dd7dd",
    "11018": "5a6a3a17671aa92c736e5a2a3e6cfd9855abc31dc782bbaae08ecd0f2bc5e29a",
    "12727": "30ac33604e0d22520073bce6cfdc3083b80253064ddc585aafa63de6f5e9c96f",
    "15036": "d11a2379415779274b7d1e9978fedf2dc90afaa62ea77c1d5e51e264e9b8b479",
}


def stored_digest(list_name: str) -> tuple[int, str]:
    """How many entities a list holds, and the sha256 of all their stored values in order."""
    rows = (
        ListedEntity.objects.filter(sanctions_list__name=list_name)
        .order_by("entity_id")
        .values_list(*STORED)
    )
    values = [list(row) for row in rows]
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return len(values), hashlib.sha256(text.encode("utf-8")).hexdigest()


def _import(path: Path, **options: Any) -> Any:
    with change_context("test"):
        return import_list("ofac-sdn", path, **options)


@pytest.fixture(scope="module")
def _ofac_once(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The real OFAC SDN file, imported once for the module (rolled back after it)."""
    data = shared_data_dir()
    if data is None:  # `shared_data` skips the test with its message
        yield
        return
    with built_once(django_db_blocker):
        _import(data / "ofac" / "sdn.csv")
        yield


@pytest.fixture
def ofac_file(_ofac_once: None, db: None, shared_data: Path) -> Path:
    return shared_data / "ofac" / "sdn.csv"


def test_every_ofac_entity_is_stored_with_the_values_the_previous_import_stored(ofac_file):
    assert stored_digest("ofac-sdn") == (OFAC_ENTITIES, OFAC_STORED_DIGEST)
    lst = SanctionsList.objects.get(name="ofac-sdn")
    assert lst.entity_count == OFAC_ENTITIES
    assert not ListChange.objects.filter(sanctions_list=lst).exists()


def test_known_entities_keep_their_names_dates_places_and_fingerprints(ofac_file):
    entities = {e.entity_id: e for e in ListedEntity.objects.filter(entity_id__in=FINGERPRINTS)}
    assert {eid: e.fingerprint for eid, e in entities.items()} == FINGERPRINTS
    # A person: a year range spelled out, a full date, places, nationality, gender from remarks.
    person = entities["11018"]
    assert person.schema == "Person" and person.gender == "male"
    assert person.birth_dates == ["1961", "1963", "1965", "1959", "1960", "1964-09-18"]
    assert person.nationalities == ["Uganda"]
    assert person.birth_places[0] == "Odek, Omoro, Gulu, Uganda"
    assert person.programme == "SDGT; CAR"
    # An organisation: aliases from alt.csv, then the quoted weak and previous names of remarks.
    basij = entities["12727"]
    kinds = [n["kind"] for n in basij.names]
    assert kinds[0] == "primary" and kinds.count("weak_alias") == 5 and "previous" in kinds
    assert {"kind": "weak_alias", "value": "NATIONAL RESISTANCE MOBILIZATION"} in basij.names
    assert basij.programme == "FTO; SDGT; IRGC; IFSR; IRAN-HR"
    assert entities["15036"].schema == "Vessel"
    assert entities["10574"].programme == "BELARUS"


@pytest.mark.slow  # a second import of the whole file and a digest of every entity: ~2 s
def test_reimporting_the_unchanged_file_changes_nothing(ofac_file):
    report = _import(ofac_file)
    assert (report.added, report.changed, report.removed) == (0, 0, 0)
    assert report.unchanged == report.read == OFAC_ENTITIES
    assert stored_digest("ofac-sdn") == (OFAC_ENTITIES, OFAC_STORED_DIGEST)
    assert not ListChange.objects.exists()


def test_a_changed_entity_is_updated_and_the_others_are_left_alone(ofac_file, tmp_path):
    folder = tmp_path / "newer"
    folder.mkdir()
    shutil.copy(ofac_file.with_name("alt.csv"), folder / "alt.csv")
    text = ofac_file.read_bytes()
    old_row = b'10575,"BELNEFTEKHIM USA, INC.",-0- ,"BELARUS",'
    assert text.count(old_row) == 1
    (folder / "sdn.csv").write_bytes(
        text.replace(old_row, b'10575,"BELNEFTEKHIM USA, INC.",-0- ,"BELARUS] [SDGT",')
    )
    untouched = ListedEntity.objects.get(entity_id="10574")
    report = _import(folder / "sdn.csv")
    assert (report.added, report.changed, report.removed) == (0, 1, 0)
    assert report.unchanged == OFAC_ENTITIES - 1
    changed = ListedEntity.objects.get(entity_id="10575")
    assert changed.programme == "BELARUS; SDGT" and changed.active
    assert changed.fingerprint != "e6ac22f05daa272547f119a57ff8dc65c5f06a861287597b4bbf5d1034ac1840"
    assert changed.names == [{"value": "BELNEFTEKHIM USA, INC.", "kind": "primary"}]
    change = ListChange.objects.get()
    assert (change.entity_id, change.change) == ("10575", "changed")
    again = ListedEntity.objects.get(entity_id="10574")
    assert (again.fingerprint, again.names) == (untouched.fingerprint, untouched.names)


def test_a_removed_entity_listed_again_is_active_again_with_its_values(eu_file, tmp_path):
    with change_context("test"):
        first = import_list("eu-765", eu_file)
        kept = ListedEntity.objects.get(sanctions_list__name="eu-765", entity_id="I.A/2")
        with eu_file.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        shorter = tmp_path / "shorter.csv"
        with shorter.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(r for r in rows if (r["annex"], r["recordId"]) != ("I.A", "2"))
        removed = import_list("eu-765", shorter, version_date=dt.date(2026, 7, 1))
        again = import_list("eu-765", eu_file, version_date=dt.date(2026, 7, 17))
    assert first.added == 408 and removed.removed == 1
    assert (again.changed, again.unchanged, again.added) == (1, 407, 0)
    back = ListedEntity.objects.get(pk=kept.pk)
    assert back.active and back.removed_in == ""
    assert (back.fingerprint, back.names, back.birth_dates) == (
        kept.fingerprint,
        kept.names,
        kept.birth_dates,
    )
    changes = ListChange.objects.filter(sanctions_list__name="eu-765").order_by("at")
    history = [(c.entity_id, c.change) for c in changes]
    assert history == [("I.A/2", "removed"), ("I.A/2", "changed")]


def test_stored_json_is_the_json_django_itself_writes(ofac_file):
    columns = ("names", "birth_dates", "birth_places", "nationalities", "positions", "measures")
    table = ListedEntity._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # The text itself: what json.dumps(value) gives, as JSONField writes it.
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")  # noqa: S608
            rows = cursor.fetchall()
            assert len(rows) == OFAC_ENTITIES
            for row in rows:
                assert all(text == json.dumps(json.loads(text)) for text in row)
        else:
            # jsonb keeps no text: each value equals Django's encoding of the decoded value.
            sample = list(ListedEntity.objects.order_by("entity_id").values_list("pk", *columns))
            for pk, *values in sample[::97]:
                params = [json.dumps(v) for v in values]
                where = " AND ".join(f"{c} = %s::jsonb" for c in columns)
                cursor.execute(
                    f"SELECT count(*) FROM {table} WHERE id = %s AND {where}", [pk, *params]
                )  # noqa: S608,E501
                assert cursor.fetchone()[0] == 1


def test_the_row_writer_fills_every_column_but_the_key():
    columns = {f.name for f in ListedEntity._meta.concrete_fields if not f.primary_key}
    assert set(INSERT_FIELDS) == columns and len(INSERT_FIELDS) == len(columns)
