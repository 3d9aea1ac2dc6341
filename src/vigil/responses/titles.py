"""Titles of the international response's records for the change history
(``vigil.core.titles``): each named by the intervention or act it belongs to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as noop

from vigil.core.titles import Kind, Title, Titles, View, label_of, owned, register_titles
from vigil.records.models import Act, Intervention
from vigil.records.titles import owner_text
from vigil.responses.models import (
    FollowUp,
    ForumPosition,
    InterventionBeneficiary,
    StateResponse,
    ViolationCoding,
)

ACT = label_of(Act)


def _read_codings(view: View, ids: list[str]) -> tuple[Any, Mapping[str, Iterable[Any]]]:
    codings = list(view(ViolationCoding.objects.filter(pk__in=ids)).select_related("standard"))
    return codings, {ACT: [c.act_id for c in codings]}


def _name_codings(codings: Any, titles: Titles) -> dict[str, Title]:
    """ "ICCPR art. 9 for Arrest: Testa Fictionalia (10 August 2020)", opening the act's coding."""
    acts = titles(ACT)
    found = {}
    for c in codings:
        act = acts.get(str(c.act_id))
        if act is not None:
            text = gettext("%(standard)s for %(act)s") % {"standard": c.standard, "act": act.text}
            found[str(c.pk)] = Title(text, reverse("responses:act-coding", args=[c.act_id]))
    return found


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
    register_titles(ViolationCoding, Kind(_read_codings, _name_codings, (ACT,)))
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
