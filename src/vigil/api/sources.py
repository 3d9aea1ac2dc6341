"""Sources (with their evidence files) and information: a source supporting a fact."""

from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Router

from vigil.api.acts import term_filter
from vigil.api.common import visible
from vigil.api.crud import Resource, Writer, register
from vigil.api.present import Visibility, choice, meta, term_out
from vigil.api.schemas.common import PRECISIONS
from vigil.api.schemas.sources import (
    CLAIM_KINDS,
    EvidenceOut,
    InformationCreate,
    InformationFilters,
    InformationOut,
    InformationUpdate,
    SourceCreate,
    SourceFilters,
    SourceOut,
    SourceUpdate,
    TargetOut,
    TargetType,
)
from vigil.records.models import (
    Act,
    Case,
    Event,
    Evidence,
    Information,
    Intervention,
    Organisation,
    Person,
    Source,
    Statistic,
)

router = Router(tags=["sources"])

TARGETS: dict[TargetType, type[Any]] = {
    "person": Person,
    "organisation": Organisation,
    "event": Event,
    "act": Act,
    "case": Case,
    "intervention": Intervention,
    "statistic": Statistic,
}


def target_type_id(kind: TargetType) -> int:
    """The content type id of an information target kind."""
    return ContentType.objects.get_for_model(TARGETS[kind]).pk


def select_sources(request: HttpRequest, f: SourceFilters) -> QuerySet[Source]:
    """Visible sources by text, type, date range and confidentiality."""
    sources = visible(request, Source.objects.all())
    text = " ".join((f.q or "").split())
    if text:
        sources = sources.filter(
            Q(title__icontains=text)
            | Q(publisher__icontains=text)
            | Q(citation__icontains=text)
            | Q(notes__icontains=text)
        )
    if f.source_type:
        sources = sources.filter(term_filter("source_type", "source_type", f.source_type))
    if f.date_from is not None:
        sources = sources.filter(date__gte=f.date_from)
    if f.date_to is not None:
        sources = sources.filter(date__lte=f.date_to)
    if f.confidentiality:
        sources = sources.filter(confidentiality=f.confidentiality)
    return sources.select_related("source_type", "reliability").order_by("title", "id")


def select_information(request: HttpRequest, f: InformationFilters) -> QuerySet[Information]:
    """Visible citations by source and by the fact supported (only a fact the user sees)."""
    rows = visible(request, Information.objects.all())
    if f.source is not None:
        rows = rows.filter(source_id=f.source)
    if f.target_type:
        rows = rows.filter(target_type_id=target_type_id(f.target_type))
        if f.target_id is not None:
            shown = visible(request, TARGETS[f.target_type].objects.filter(pk=f.target_id))
            rows = rows.filter(target_id__in=shown.values("pk"))
    elif f.target_id is not None:
        rows = rows.none()  # an id without its kind names nothing
    return rows.select_related("source", "reliability").order_by("created_at", "id")


def build_information(writer: Writer, payload: InformationCreate) -> Information:
    """A citation of a visible source for a visible fact."""
    source = writer.record(Source, payload.source, "source")
    target = writer.record(TARGETS[payload.target_type], payload.target_id, "target_id")
    reliability = (
        writer.term("source_reliability", payload.reliability, "reliability")
        if payload.reliability
        else None
    )
    return writer.add(
        Information(
            source=source,
            target_type_id=target_type_id(payload.target_type),
            target_id=target.pk,
            claim_kind=payload.claim_kind,
            quote=payload.quote,
            reliability_id=reliability,
            note=payload.note,
            confidentiality=payload.confidentiality or source.confidentiality,
        )
    )


def sources_out(seen: Visibility, sources: list[Source]) -> list[SourceOut]:
    """Sources with their visible evidence files, and nothing about a witness."""
    files: dict[Any, list[Evidence]] = defaultdict(list)
    for item in seen.view(Evidence.objects.filter(source__in=sources)).order_by("original_name"):
        files[item.source_id].append(item)
    return [
        SourceOut(
            **meta(s),
            title=s.title,
            source_type=term_out(s.source_type),
            reliability=term_out(s.reliability),
            url=s.url,
            publisher=s.publisher,
            citation=s.citation,
            notes=s.notes,
            date=s.date,
            date_precision=choice(s.date_precision, PRECISIONS),
            date_end=s.date_end,
            evidence=[
                EvidenceOut(
                    id=f.pk,
                    original_name=f.original_name,
                    sha256=f.sha256,
                    size=f.size,
                    content_type=f.content_type,
                    description=f.description,
                )
                for f in files[s.pk]
            ],
        )
        for s in sources
    ]


def information_out(seen: Visibility, items: list[Information]) -> list[InformationOut]:
    """Citations, naming their target only when the user may see it."""
    kinds = {target_type_id(k): k for k in TARGETS}
    out = []
    for item in items:
        kind = kinds.get(item.target_type_id)
        target = None
        if kind is not None and item.target_id in seen.ids(TARGETS[kind], [item.target_id]):
            target = TargetOut(type=kind, id=item.target_id)
        out.append(
            InformationOut(
                **meta(item),
                source=seen.ref(Source, item.source),
                target=target,
                claim_kind=choice(item.claim_kind, CLAIM_KINDS),
                quote=item.quote,
                reliability=term_out(item.reliability),
                note=item.note,
            )
        )
    return out


SOURCES = Resource(
    name="source",
    path="/sources",
    model=Source,
    out=SourceOut,
    create=SourceCreate,
    update=SourceUpdate,
    filters=SourceFilters,
    present=sources_out,
    select=select_sources,
    refs={"source_person": Person},
    terms={"source_type": "source_type", "reliability": "source_reliability"},
    clearable=frozenset({"date", "date_end", "source_type", "reliability"}),
)

INFORMATION = Resource(
    name="information",
    path="/information",
    model=Information,
    out=InformationOut,
    create=InformationCreate,
    update=InformationUpdate,
    filters=InformationFilters,
    present=information_out,
    select=select_information,
    terms={"reliability": "source_reliability"},
    clearable=frozenset({"reliability"}),
    build=build_information,
)

register(router, SOURCES)
register(router, INFORMATION)
