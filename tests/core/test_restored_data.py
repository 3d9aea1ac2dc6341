"""Data built once for transactional tests (tests/restored_data.py): after the flush that ends
a test, asking again writes back exactly the rows the build left, without building again, and
new rows still get new ids."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from tests import fast_flush
from tests.conftest import make_user
from tests.restored_data import built_once

from vigil.core.context import change_context
from vigil.core.models import Version
from vigil.records.models import Person, PersonName, Term

pytestmark = pytest.mark.django_db(transaction=True)

BUILDS: list[int] = []


def _build() -> tuple[int, str]:
    BUILDS.append(1)
    user = make_user("analyst", "fictional-restored-analyst")
    with change_context("test", actor=user):
        person = Person.objects.create(display_name="Fictional Restorata", is_synthetic=True)
        PersonName.objects.create(person=person, value="Фіктыўная Рэстарата", is_primary=True)
    Term.objects.filter(pk=Term.objects.order_by("pk").values("pk")[:1]).update(
        label_en="changed by a build"
    )
    return user.pk, str(person.pk)


def _everything() -> dict[str, Any]:
    return fast_flush.every_row(connection)


def test_the_rows_a_build_left_are_written_back_after_a_flush_without_building_again():
    before = len(BUILDS)
    value = built_once(_build)
    assert len(BUILDS) == before + 1
    built = _everything()
    assert Person.objects.filter(display_name="Fictional Restorata").exists()

    fast_flush.flush(connection)  # what ends every transactional test
    assert not Person.objects.exists()
    make_user("viewer", "fictional-left-by-another-test")  # replaced by the written-back rows

    assert built_once(_build) == value
    assert len(BUILDS) == before + 1  # not built again
    assert _everything() == built  # the same rows, ids and all
    name = PersonName.objects.get(person_id=value[1])
    assert name.value == "Фіктыўная Рэстарата"
    # New rows get ids of their own, also when the id sequences were reset in between: the
    # history's versions (written by every change) have serial ids.
    fast_flush.flush(connection)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('core_version', 'id'), 1, false)")
    built_once(_build)
    versions = set(Version.objects.values_list("pk", flat=True))
    assert versions
    with change_context("test"):
        Person.objects.create(display_name="Fictional Novata", is_synthetic=True)
    assert Version.objects.exclude(pk__in=versions).count() == 1
