"""Public pages and open data: published records only, allow-listed fields only (snapshot)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vigil.policy.public import PUBLIC_FIELDS, public_queryset
from vigil.records.models import Act, Participant, Person, PersonName, Source

from . import factories as f

pytestmark = pytest.mark.django_db

SNAPSHOT = Path(__file__).parent / "snapshots" / "public_fields.json"
NEVER_PUBLIC = {
    "notes",
    "note",
    "created_by_id",
    "updated_by_id",
    "deleted_by_id",
    "deletion_reason",
    "source_person_id",
    "birth_date",
    "birth_place",
    "licence_number",
}


def test_req12_public_field_allow_list_matches_the_reviewed_snapshot():
    # Changing what the public sees is a reviewed decision: update the snapshot on purpose.
    reviewed = json.loads(SNAPSHOT.read_text())
    assert {k: list(v) for k, v in PUBLIC_FIELDS.items()} == reviewed


def test_req12_allow_lists_hold_no_confidential_or_bookkeeping_field():
    for label, fields in PUBLIC_FIELDS.items():
        assert not NEVER_PUBLIC & set(fields), label


def test_req12_public_queryset_serialises_exactly_the_allow_listed_fields(ctx):
    f.person("public", "Fictional Published Person")
    [row] = list(public_queryset(Person))
    assert set(row) == set(PUBLIC_FIELDS["records.person"])
    assert row["display_name"] == "Fictional Published Person"


def test_req12_records_are_internal_until_published(ctx):
    person = f.person(name="Fictional Draft Person")
    assert person.confidentiality == "internal"
    assert not public_queryset(Person).exists()


def test_req12_only_public_live_real_records_are_published(ctx):
    kept = f.person("public", "Fictional Public")
    f.person("restricted", "Fictional Restricted")
    deleted = f.person("public", "Fictional Deleted")
    deleted.soft_delete("fictional duplicate")
    synthetic = Person(display_name="Fictional Synthetic", confidentiality="public")
    synthetic.is_synthetic = True
    synthetic.save()
    assert [r["id"] for r in public_queryset(Person)] == [kept.pk]
    assert len(public_queryset(Person, include_synthetic=True)) == 2


def test_req12_a_public_name_of_an_unpublished_person_is_not_published(ctx):
    hidden = f.person("internal")
    PersonName(person=hidden, value="Fictional Name", confidentiality="public").save()
    assert not public_queryset(PersonName).exists()


def test_req12_public_act_needs_its_event_published(ctx):
    act = f.act("public", event=f.event("internal"))
    assert not public_queryset(Act).exists()
    act.event.confidentiality = "public"
    act.event.save()
    assert [r["id"] for r in public_queryset(Act)] == [act.pk]


def test_req12_models_without_a_public_view_publish_nothing(ctx):
    f.FACTORIES["records.participant"]("public")
    assert not public_queryset(Participant).exists()


def test_req12_a_witness_source_can_never_be_public(ctx):
    source = f.source("public", source_person=f.person("public"))
    assert source.confidentiality == "restricted"
    assert not public_queryset(Source).exists()
