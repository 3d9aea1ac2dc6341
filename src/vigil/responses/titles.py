"""Titles of the international response's records for the change history
(``vigil.core.titles``): each named by the intervention or act it belongs to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as noop

from vigil.core.titles import Kind, Title, View, owned, register_titles
from vigil.records.models import Act, Intervention
from vigil.records.titles import owner_text
from vigil.responses.models import (
    FollowUp,
    ForumPosition,
    InterventionBeneficiary,
    StateResponse,
    ViolationCoding,
)


def _coding(coding: Any, act: Title) -> str:
    """ "ICCPR art. 9 for Arrest: Testa Fictionalia (10 August 2020)" (opening the act's
    coding)."""
    return gettext("%(standard)s for %(act)s") % {"standard": coding.standard, "act": act.text}


def _act_coding(coding: Any) -> str:
    return reverse("responses:act-coding", args=[coding.act_id])


def _position(p: Any) -> Title:
    """ "Human Rights Council: voted in favour (June 2024)", opening the forums page."""
    text = f"{p.get_forum_display()}: {p.get_position_display()}"
    if p.date:
        text = f"{text} ({p.date_display})"
    return Title(text, reverse("responses:forums"))


def _read_positions(view: View, ids: list[str]) -> tuple[Any, Mapping[str, Iterable[Any]]]:
    return list(view(ForumPosition.objects.filter(pk__in=ids))), {}


def register() -> None:
    """Name the response's records in the change history (the app's ``ready``)."""
    coding = owned(ViolationCoding, "act_id", Act, _coding, related=("standard",), url=_act_coding)
    register_titles(ViolationCoding, coding)
    register_titles(
        ForumPosition,
        Kind(_read_positions, lambda rows, _titles: {str(p.pk): _position(p) for p in rows}),
    )
    for model, message in (
        (InterventionBeneficiary, noop("Beneficiary of %(owner)s")),
        (StateResponse, noop("State response to %(owner)s")),
        (FollowUp, noop("Follow-up of %(owner)s")),
    ):
        register_titles(model, owned(model, "intervention_id", Intervention, owner_text(message)))
