"""The drafts a person's profile offers: which exist, in which formats, and what a download needs.

The download itself is ``vigil.outputs.views.download`` (the same checks as ``vigil report``):
a draft is an export, so the menu says when the user may not export what it draws on, and when a
download needs a fresh second factor (step-up), counts against the export quota and is logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigil.outputs.exporting import drawn_on, export_state
from vigil.outputs.render import FORMATS
from vigil.policy.access import restrict
from vigil.records.models import Act, Person

if TYPE_CHECKING:
    from vigil.accounts.types import User

DRAFTS: tuple[tuple[str, Promise, Promise], ...] = (
    (
        "wgad",
        _("WGAD communication"),
        _("to the UN Working Group on Arbitrary Detention, in its model questionnaire's order"),
    ),
    (
        "appeal",
        _("Urgent appeal"),
        _("to UN Special Procedures: urgent appeal or allegation letter"),
    ),
    ("brief", _("Case brief"), _("one page: timeline, charges, sentence, perpetrators, response")),
)


@dataclass(frozen=True)
class DraftLink:
    """One draft with a download address per format."""

    kind: str
    label: Promise
    help_text: Promise
    urls: dict[str, str]


@dataclass
class DraftMenu:
    """What the profile's drafts section shows."""

    available: bool
    reason: Promise | str = ""
    step_up: bool = False
    drafts: list[DraftLink] = field(default_factory=list)


def draft_menu(user: User, person: Person, *, sees_acts: bool | None = None) -> DraftMenu | None:
    """The drafts ``user`` may download about ``person``, or why none is offered.

    None when the user sees no act against the person (a lawyer, a judge): a draft about them
    as a victim would state nothing. ``sees_acts``: whether ``user`` may view an act against
    ``person``, when the caller has read those acts already (the profile's timeline).
    """
    if sees_acts is None:
        sees_acts = restrict(user, "view", Act.objects.filter(victim_person=person)).exists()
    if not sees_acts:
        return None
    if person.is_synthetic:
        return DraftMenu(
            False, _("Drafts are produced only about real persons; this person is synthetic.")
        )
    if person.deleted_at is not None:
        return DraftMenu(False, _("This person is deleted; no draft is produced."))
    may_export, public = export_state(user, drawn_on(person))  # one query for both
    if not may_export:
        return DraftMenu(False, _("The drafts draw on records you may not export."))
    links = [
        DraftLink(
            kind,
            label,
            help_text,
            {
                fmt: reverse("outputs:download", args=[kind, person.pk, fmt])
                for fmt in sorted(FORMATS)
            },
        )
        for kind, label, help_text in DRAFTS
    ]
    return DraftMenu(True, step_up=not public, drafts=links)
