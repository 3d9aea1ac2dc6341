"""Titles of trial monitoring and solidarity records for the change history
(``vigil.core.titles``): a hearing by its case and day, a statement by its title."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as noop

from vigil.core.titles import Kind, Title, Titles, View, label_of, owned, plain, register_titles
from vigil.records.dates import format_day
from vigil.records.models import Case
from vigil.records.titles import owner_text
from vigil.solidarity.models import (
    Hearing,
    ObservationReport,
    ObserverAssignment,
    Signatory,
    Statement,
)

CASE = label_of(Case)


def _read_hearings(view: View, ids: list[str]) -> tuple[Any, Mapping[str, Iterable[Any]]]:
    hearings = list(view(Hearing.objects.filter(pk__in=ids)).only("pk", "case_id", "date"))
    return hearings, {CASE: [h.case_id for h in hearings]}


def _name_hearings(hearings: Any, titles: Titles) -> dict[str, Title]:
    """ "Hearing of Fictional case, 3 March 2025"; the case only if the user may view it."""
    cases = titles(CASE)
    found = {}
    for h in hearings:
        case = cases.get(str(h.case_id))
        day = format_day(h.date)
        if case is not None:
            text = gettext("Hearing of %(case)s, %(day)s") % {"case": case.text, "day": day}
        else:
            text = gettext("Hearing, %(day)s") % {"day": day}
        found[str(h.pk)] = Title(text, reverse("solidarity:hearing", args=[h.pk]))
    return found


def register() -> None:
    """Name monitoring and solidarity records in the change history (the app's ``ready``)."""
    register_titles(Hearing, Kind(_read_hearings, _name_hearings, (CASE,)))
    register_titles(
        Statement,
        plain(
            Statement,
            ("title",),
            lambda s: Title(s.title, reverse("solidarity:statement", args=[s.pk])),
        ),
    )
    for model, column, owner, message in (
        (ObserverAssignment, "hearing_id", Hearing, noop("Observer at %(owner)s")),
        (ObservationReport, "hearing_id", Hearing, noop("Observation report of %(owner)s")),
        (Signatory, "statement_id", Statement, noop("Signatory of %(owner)s")),
    ):
        register_titles(model, owned(model, column, owner, owner_text(message)))
