"""The open-data export: published records only, allow-listed fields only, in three formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from followthemoney import model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reports import factories as f
from vigil.opendata.datasets import DATASETS, collect, exported_fields, identity_fields
from vigil.opendata.writers import export_open_data
from vigil.policy.public import public_fields
from vigil.records.models import Person

D = dt.date

# The snapshot: a field added to the export must be added here on purpose.
EXPECTED_COLUMNS = {
    "persons": ["id", "display_name", "name_withheld", "sex", "nationality"],
    "person_names": ["id", "person_id", "value", "script", "lang", "kind", "scheme", "is_primary"],
    "organisations": ["id", "display_name", "kind_id", "parent_id", "country"],
    "organisation_names": [
        "id", "organisation_id", "value", "script", "lang", "kind", "scheme", "is_primary",
    ],
    "events": [
        "id", "title", "description", "place", "country", "date", "date_precision", "date_end",
    ],
    "acts": [
        "id", "event_id", "act_type_id", "victim_person_id", "victim_organisation_id", "date",
        "date_precision", "date_end", "place_id", "place_text", "status", "outcome",
        "sentence_months", "sentence_regime_id", "restriction_measure_id", "suspended",
        "fine_amount", "fine_unit", "sentence_text",
    ],
    "charges": ["id", "act_id", "provision_id", "inchoate"],
    "legal_provisions": ["id", "jurisdiction", "code", "article", "part", "point", "title"],
    "involvements": [
        "id", "act_id", "perpetrator_person_id", "perpetrator_organisation_id", "role_id",
        "degree_id",
    ],
    "interventions": [
        "id", "intervention_type_id", "party_id", "title", "reference", "url", "status_id",
        "state_response_id", "state_response_date", "outcome", "date", "date_precision",
        "date_end",
    ],
    "statistics": [
        "id", "subject", "series", "value", "qualifier", "unit", "as_of", "as_of_precision",
        "period_start", "period_end", "country", "source_id", "method_note",
    ],
    "sources": [
        "id", "title", "source_type_id", "reliability_id", "url", "publisher", "citation",
        "date", "date_precision", "date_end",
    ],
    "terms": ["id", "vocabulary", "key", "label_en", "label_ru", "label_be"],
}  # fmt: skip


def published_case():
    """A public prisoner with a sentence, a judge, a charge, and hidden things around them."""
    victim = f.person("Fictional Public Prisoner", confidentiality="public")
    victim.notes = "CANARY-NOTES-7f3a"
    victim.birth_place = "CANARY-BIRTHPLACE-7f3a"
    victim.save()
    holder = f.event("Fictional public prosecution", confidentiality="public")
    judge = f.person("Fictional Public Judge", confidentiality="public")
    internal_prison = f.court("Fictional Internal Place", confidentiality="internal")
    sentence = f.act(
        "sentence", victim, D(2022, 3, 1), event_=holder, confidentiality="public", months=36,
        place=internal_prison, description="CANARY-DESCRIPTION-7f3a",
    )  # fmt: skip
    f.charge(sentence, f.provision("342", title="Fictional title"))
    f.judged(sentence, judge)
    witness = f.person("Fictional Witness Person", confidentiality="restricted")
    f.source("Fictional public source", confidentiality="public", notes="CANARY-SOURCE-7f3a")
    f.source("Fictional witness source", source_person=witness)
    return victim, sentence


def test_the_export_columns_match_the_snapshot_exactly(ctx, tmp_path: Path):
    published_case()
    export_open_data(tmp_path, "csv")
    for name, expected in EXPECTED_COLUMNS.items():
        with (tmp_path / f"{name}.csv").open(newline="") as handle:
            assert next(csv.reader(handle)) == expected, name
    export_open_data(tmp_path, "json")
    body = json.loads((tmp_path / "vigil-open-data.json").read_text())
    assert body["columns"] == EXPECTED_COLUMNS
    for name, rows in body["datasets"].items():
        for row in rows:
            assert list(row) == EXPECTED_COLUMNS[name], name


def test_every_exported_field_is_a_public_field_and_never_an_identity_field():
    for dataset in DATASETS:
        fields = set(exported_fields(dataset))
        assert fields == set(dataset.fields), dataset.name
        assert fields <= set(public_fields(dataset.model))
        assert not fields & identity_fields(dataset.model)
        assert not fields & {"source_person", "source_person_id", "notes", "birth_date"}


def test_confidential_fields_never_reach_any_format(ctx, tmp_path: Path):
    published_case()
    for fmt in ("csv", "json", "ftm"):
        export_open_data(tmp_path / fmt, fmt)
    blob = "".join(p.read_text() for p in tmp_path.rglob("*") if p.is_file())
    assert "Fictional Public Prisoner" in blob
    assert "CANARY" not in blob
    assert "Fictional Witness Person" not in blob and "Fictional witness source" not in blob


def test_only_public_live_real_records_are_exported(ctx):
    shown = f.person("Fictional Shown", confidentiality="public")
    f.person("Fictional Internal", confidentiality="internal")
    f.person("Fictional Synthetic", confidentiality="public", synthetic=True)
    f.person("Fictional Deleted", confidentiality="public").soft_delete("fictional test")
    assert [r["display_name"] for r in collect()["persons"]] == [shown.display_name]


def test_an_act_of_an_unpublished_victim_is_not_exported(ctx):
    hidden = f.person("Fictional Internal Victim", confidentiality="internal")
    f.act("arrest", hidden, D(2021, 1, 1), confidentiality="public")
    assert collect()["acts"] == []


def test_a_reference_to_an_unpublished_record_is_left_empty(ctx):
    _, sentence = published_case()
    (act,) = collect()["acts"]
    assert act["id"] == sentence.pk
    assert act["place_id"] is None  # the place is internal


def test_ftm_entities_are_valid_persons_organisations_and_events(ctx, tmp_path: Path):
    victim, sentence = published_case()
    export_open_data(tmp_path, "ftm")
    lines = (tmp_path / "vigil-open-data.ftm.json").read_text().splitlines()
    found = {e.id: e for e in (model.get_proxy(json.loads(line)) for line in lines)}
    person = found[f"vigil-person-{victim.pk}"]
    assert person.schema.name == "Person"
    assert person.get("name") == ["Fictional Public Prisoner"]
    event = found[f"vigil-act-{sentence.pk}"]
    assert event.schema.name == "Event"
    assert f"vigil-person-{victim.pk}" in event.get("involved")
    assert event.get("date") == ["2022-03-01"]
    assert any("Art. 342" in d for d in event.get("description"))
    assert {e.schema.name for e in found.values()} <= {"Person", "Organization", "Event"}


def test_a_withheld_name_is_not_published_as_a_name(ctx):
    f.person("Citizen A.", confidentiality="public", name_withheld=True)
    from vigil.opendata.ftm import entities

    (person,) = [e for e in entities(collect()) if e.schema.name == "Person"]
    assert person.get("name") == ["(name withheld by the source)"]


def test_opendata_export_command_writes_the_folder(ctx, tmp_path: Path):
    from vigil.accounts.models import User
    from vigil.opendata.management.commands.opendata import Command

    published_case()
    out = io.StringIO()
    User.objects.create_user("fictional-viewer", role="viewer")  # a viewer may export public data
    call_command(
        Command(),
        "export",
        "--format",
        "json",
        "-o",
        str(tmp_path / "o"),
        acting_user="fictional-viewer",
        stdout=out,
    )
    assert (tmp_path / "o" / "vigil-open-data.json").is_file()
    assert "persons: 2 rows" in (tmp_path / "o" / "README.txt").read_text()


LEVELS = ("public", "internal", "restricted", "secret")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.sampled_from(LEVELS), st.booleans(), st.booleans()), min_size=1, max_size=6
    )
)
@pytest.mark.slow  # ~1.6 s a run on a quiet 2-core machine
def test_a_person_is_exported_exactly_when_public_real_and_live(ctx, flags):
    made = {}
    for level, synthetic, deleted in flags:
        person = f.person(
            f"Fictional {uuid.uuid4().hex[:8]}", confidentiality=level, synthetic=synthetic
        )
        if deleted:
            person.soft_delete("fictional test")
        made[person.pk] = level == "public" and not synthetic and not deleted
    exported = {r["id"] for r in collect()["persons"]}
    assert {pk for pk in made if pk in exported} == {pk for pk, ok in made.items() if ok}
    assert Person.all_objects.filter(pk__in=list(made)).count() == len(made)
