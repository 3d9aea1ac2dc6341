"""Attaching an uploaded file to a record: its source, the evidence row, its handling log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from vigil.core.errors import NotFound, ValidationFailed
from vigil.core.models import CONFIDENTIALITY_ORDER, Confidentiality, VigilModel
from vigil.evidence.handling import INGEST, record_handling
from vigil.evidence.models import EvidenceKey
from vigil.evidence.sniff import HEAD_BYTES, sniff
from vigil.evidence.upload import StagedFile
from vigil.policy.access import restrict, role_of, save_checked
from vigil.policy.rules import Reach, reach_for
from vigil.records.models import Act, Event, Evidence, Information, Person, Source

if TYPE_CHECKING:
    from vigil.accounts.types import User

# The records a file can be attached to, by the name used in URLs.
TARGETS: dict[str, type[VigilModel]] = {
    "person": Person,
    "event": Event,
    "act": Act,
    "source": Source,
}
TITLE_LENGTH = 500
# A new source is never public: records are internal until a coordinator publishes them.
LEAST_LEVEL = str(Confidentiality.INTERNAL)


@dataclass(frozen=True)
class Attachment:
    """What attaching a file produced."""

    evidence: Evidence
    source: Source
    new_source: bool


def find_target(user: User, kind: str, pk: Any) -> VigilModel:
    """The record ``user`` wants to attach to; NotFound when missing or hidden alike."""
    model = TARGETS.get(kind)
    if model is None:
        raise NotFound(_("There is no such record."))
    found = restrict(user, "view", model.objects.filter(pk=pk)).first()
    if found is None:
        raise NotFound(_("There is no such record."))
    return found


def sources_for(user: User, target: VigilModel) -> list[Source]:
    """The visible sources a file for ``target`` can belong to (a source is its own)."""
    if isinstance(target, Source):
        return [target]
    cited = Information.objects.filter(
        target_type=ContentType.objects.get_for_model(type(target)), target_id=target.pk
    ).values("source_id")
    return list(restrict(user, "view", Source.objects.filter(pk__in=cited)).order_by("title"))


def _level_for(target: VigilModel) -> str:
    """A new source about ``target``: as confidential as it, and never public until published."""
    level = target.confidentiality
    if CONFIDENTIALITY_ORDER[level] < CONFIDENTIALITY_ORDER[LEAST_LEVEL]:
        return LEAST_LEVEL
    return level


def may_attach(user: User, target: VigilModel) -> bool:
    """Whether the policy could let ``user`` add a file here; checked before reading the body.

    Only a first cut: the saves themselves are checked again by ``save_checked``.
    """
    role = role_of(user)
    if role is None:
        return False
    return reach_for(role, "add", _level_for(target)) is not Reach.NONE


def attach_upload(
    user: User,
    staged: StagedFile,
    target: VigilModel,
    *,
    source: Source | None = None,
    new_source_title: str = "",
    description: str = "",
) -> Attachment:
    """Record a stored upload as evidence of ``source`` (or of a new source citing ``target``).

    One transaction: the new source and its link, the evidence row, its key and the "ingest"
    handling-log entry are all written, or none. Every save goes through the policy.
    """
    if not staged.complete:
        raise ValidationFailed(_("The file did not arrive whole; nothing was stored."))
    if source is not None and source.pk not in {s.pk for s in sources_for(user, target)}:
        raise ValidationFailed(_("Choose one of the sources of this record."))
    with transaction.atomic():
        created = False
        if source is None:
            if isinstance(target, Source):
                source = target
            else:
                source = _new_source(user, target, new_source_title or staged.original_name)
                created = True
        evidence = Evidence(
            source=source,
            original_name=staged.original_name,
            stored_name=staged.stored_name,
            sha256=staged.sha256,
            size=staged.size,
            content_type=sniff(
                staged.head, complete=staged.size <= HEAD_BYTES, declared=staged.declared_type
            ),
            description=description.strip(),
            confidentiality=source.confidentiality,
        )
        save_checked(user, "add", evidence)
        EvidenceKey.objects.create(evidence=evidence, identity=str(staged.identity))
        record_handling(evidence, INGEST, actor=user, sha256=evidence.sha256)
    staged.claimed = True
    return Attachment(evidence, source, created)


def _new_source(user: User, target: VigilModel, title: str) -> Source:
    """A source for the file, cited for ``target``."""
    source = Source(title=title.strip()[:TITLE_LENGTH], confidentiality=_level_for(target))
    save_checked(user, "add", source)
    link = Information(
        source=source,
        target_type=ContentType.objects.get_for_model(type(target)),
        target_id=target.pk,
        confidentiality=source.confidentiality,
    )
    save_checked(user, "add", link)
    return source


def evidence_of(user: User, target: VigilModel) -> list[Evidence]:
    """The evidence files ``user`` may see among the sources of ``target``, newest first."""
    ids = [s.pk for s in sources_for(user, target)]
    found = restrict(user, "view", Evidence.objects.filter(source_id__in=ids))
    return list(found.select_related("source").order_by("-created_at"))
