"""What the public pages and open data may show: published records, allow-listed fields only.

A record is published when it and every record it describes (its parents) are public, live
and not synthetic. Only the fields listed here ever leave through the public surface; a model
not listed has no public view.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from vigil.policy.registry import GOVERNED, parent_key

_DATES = ("date", "date_precision", "date_end")

PUBLIC_FIELDS: dict[str, tuple[str, ...]] = {
    "records.person": ("id", "display_name", "name_withheld", "sex", "nationality"),
    "records.personname": (
        "id",
        "person_id",
        "value",
        "script",
        "lang",
        "kind",
        "scheme",
        "is_primary",
    ),
    "records.organisation": ("id", "display_name", "kind_id", "parent_id", "country"),
    "records.organisationname": (
        "id",
        "organisation_id",
        "value",
        "script",
        "lang",
        "kind",
        "scheme",
        "is_primary",
    ),
    "records.event": ("id", "title", "description", "place", "country", *_DATES),
    "records.act": (
        "id",
        "event_id",
        "act_type_id",
        "victim_person_id",
        "victim_organisation_id",
        *_DATES,
        "place_id",
        "place_text",
        "status",
        "outcome",
        "sentence_months",
        "sentence_regime_id",
        "restriction_measure_id",
        "suspended",
        "fine_amount",
        "fine_unit",
        "sentence_text",
    ),
    "records.actcharge": ("id", "act_id", "provision_id", "inchoate"),
    "records.involvement": (
        "id",
        "act_id",
        "perpetrator_person_id",
        "perpetrator_organisation_id",
        "role_id",
        "degree_id",
    ),
    "records.counsel": ("id", "act_id", "lawyer_id"),
    "records.case": ("id", "title", "status", "description"),
    "records.intervention": (
        "id",
        "intervention_type_id",
        "party_id",
        "title",
        "reference",
        "url",
        "status_id",
        "state_response_id",
        "state_response_date",
        "outcome",
        *_DATES,
    ),
    "records.statistic": (
        "id",
        "subject",
        "series",
        "value",
        "qualifier",
        "unit",
        "as_of",
        "as_of_precision",
        "period_start",
        "period_end",
        "country",
        "source_id",
        "method_note",
    ),
    "records.source": (
        "id",
        "title",
        "source_type_id",
        "reliability_id",
        "url",
        "publisher",
        "citation",
        *_DATES,
    ),
    "records.legalprovision": ("id", "jurisdiction", "code", "article", "part", "point", "title"),
    "records.term": (
        "id",
        "vocabulary",
        "key",
        "code",
        "parent_id",
        "label_en",
        "label_ru",
        "label_be",
    ),
}


def public_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The allow-listed fields of ``model`` (empty when it has no public view)."""
    return PUBLIC_FIELDS.get(model._meta.label_lower, ())


def published(model: type[models.Model], *, include_synthetic: bool = False) -> Any:
    """The published records of ``model`` as a queryset of full objects (internal use only)."""
    label = model._meta.label_lower
    if label not in PUBLIC_FIELDS:
        return model._default_manager.none()
    queryset = model._default_manager.all()
    if not hasattr(model, "confidentiality"):
        return queryset
    queryset = queryset.filter(confidentiality="public")
    if not include_synthetic:
        queryset = queryset.filter(is_synthetic=False)
    spec = GOVERNED.get(label)
    for name in spec.parents if spec else ():
        parent = parent_key(model, name).related_model
        if parent._meta.label_lower in PUBLIC_FIELDS:
            visible = published(parent, include_synthetic=include_synthetic).values("pk")
            queryset = queryset.filter(
                Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__in": visible})
            )
        else:
            queryset = queryset.filter(**{f"{name}__isnull": True})
    return queryset


def public_queryset(model: type[models.Model], *, include_synthetic: bool = False) -> Any:
    """Published records of ``model`` as dicts holding only the allow-listed fields."""
    fields = public_fields(model)
    if not fields:
        return model._default_manager.none().values()
    return published(model, include_synthetic=include_synthetic).values(*fields)
