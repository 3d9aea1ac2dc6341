"""One entry point for the CLI, the views and the benchmark: build a draft and render it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils import translation

from vigil.core.errors import ValidationFailed
from vigil.outputs.appeal import appeal_draft
from vigil.outputs.brief import brief_draft
from vigil.outputs.document import Draft
from vigil.outputs.render import RenderedFile, rendered_file
from vigil.outputs.wgad import wgad_draft
from vigil.records.models import Person

if TYPE_CHECKING:
    from vigil.accounts.types import User

BUILDERS: dict[str, Callable[[Any, Person], Draft]] = {
    "wgad": wgad_draft,
    "appeal": appeal_draft,
    "brief": brief_draft,
}


def build_draft(user: User, kind: str, person: Person) -> Draft:
    """The draft of ``kind`` ("wgad", "appeal", "brief") for ``person``, as ``user`` sees them.

    Written in English whatever language is active: the drafts go to UN mechanisms.
    """
    if kind not in BUILDERS:
        raise ValidationFailed(f"unknown draft {kind!r}; choose one of {', '.join(BUILDERS)}")
    with translation.override("en"):
        return BUILDERS[kind](user, person)


def draft_file(user: User, kind: str, person: Person, fmt: str) -> RenderedFile:
    """Build and render one draft, with a file name safe to offer for download."""
    return rendered_file(
        lambda: build_draft(user, kind, person),
        fmt,
        prefix=kind,
        title=person.display_name,
        pk=person.pk,
        fallback="person",
    )
