"""What the open-data export holds: one dataset per published model, and its references.

Only published records leave (public, live, not synthetic, and every record they describe
published too: :func:`vigil.policy.public.published`). The fields are the access policy's
explicit public allow-list (:data:`vigil.policy.public.PUBLIC_FIELDS`); identity fields never
leave. A
reference to a record that is not published is blanked, so the export does not reveal that
an unpublished record exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from vigil.policy.public import public_fields, published


@dataclass(frozen=True)
class Dataset:
    """One exported table: a model, the fields it exports, and where its references point."""

    name: str
    model_label: str
    # column → dataset that column refers to (blanked when the row there is not published)
    references: tuple[tuple[str, str], ...] = ()

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    @property
    def fields(self) -> tuple[str, ...]:
        """The policy's public allow-list for this model: one list, reviewed in one place."""
        return public_fields(self.model)


DATASETS: tuple[Dataset, ...] = (
    Dataset("persons", "records.person"),
    Dataset("person_names", "records.personname", (("person_id", "persons"),)),
    Dataset("organisations", "records.organisation", (("parent_id", "organisations"),)),
    Dataset(
        "organisation_names", "records.organisationname", (("organisation_id", "organisations"),)
    ),
    Dataset("events", "records.event"),
    Dataset(
        "acts",
        "records.act",
        (
            ("event_id", "events"),
            ("victim_person_id", "persons"),
            ("victim_organisation_id", "organisations"),
            ("place_id", "organisations"),
        ),
    ),
    Dataset(
        "charges",
        "records.actcharge",
        (("act_id", "acts"), ("provision_id", "legal_provisions")),
    ),
    Dataset("legal_provisions", "records.legalprovision"),
    Dataset(
        "involvements",
        "records.involvement",
        (
            ("act_id", "acts"),
            ("perpetrator_person_id", "persons"),
            ("perpetrator_organisation_id", "organisations"),
        ),
    ),
    Dataset("interventions", "records.intervention", (("party_id", "organisations"),)),
    Dataset("statistics", "records.statistic", (("source_id", "sources"),)),
    Dataset("sources", "records.source"),
)
BY_NAME = {d.name: d for d in DATASETS}
TERM_FIELDS = ("id", "vocabulary", "key", "label_en", "label_ru", "label_be")


def identity_fields(model: type[models.Model]) -> frozenset[str]:
    """The policy's identity fields of ``model`` (none known while the policy app is absent)."""
    if not apps.is_installed("vigil.policy"):
        return frozenset()
    from vigil.policy.identity import identity_fields as declared

    return declared(model)


def exported_fields(dataset: Dataset) -> tuple[str, ...]:
    """The fields ``dataset`` exports: the public allow-list, less any identity field."""
    hidden = identity_fields(dataset.model)
    return tuple(f for f in dataset.fields if f not in hidden)


def collect(*, include_synthetic: bool = False) -> dict[str, list[dict[str, Any]]]:
    """Every dataset's published rows (allow-listed fields only), plus the terms they use."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for dataset in DATASETS:
        fields = exported_fields(dataset)
        queryset = published(dataset.model, include_synthetic=include_synthetic)
        rows[dataset.name] = list(queryset.order_by("pk").values(*fields))
    ids = {name: {r["id"] for r in found} for name, found in rows.items()}
    for dataset in DATASETS:
        for column, target in dataset.references:
            for row in rows[dataset.name]:
                if row.get(column) is not None and row[column] not in ids[target]:
                    row[column] = None
    rows["terms"] = _terms(rows)
    return rows


def _terms(rows: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The vocabulary terms the exported rows refer to, with their labels."""
    term = apps.get_model("records.term")
    used: set[str] = set()
    for dataset in DATASETS:
        columns = [
            f.attname
            for f in dataset.model._meta.concrete_fields
            if f.is_relation and f.related_model is term
        ]
        for row in rows[dataset.name]:
            used.update(row[c] for c in columns if row.get(c))
    return list(term.objects.filter(pk__in=used).order_by("pk").values(*TERM_FIELDS))
