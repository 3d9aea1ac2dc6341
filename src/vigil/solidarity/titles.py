"""Titles of trial monitoring and solidarity records for the change history
(``vigil.core.titles``): a hearing by its case and day, a statement by its title."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as noop

from vigil.core.titles import Title, owned, plain, register_titles
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


def _hearing(hearing: Any, case: Title) -> str:
    """ "Hearing of Fictional case, 3 March 2025"."""
    return gettext("Hearing of %(case)s, %(day)s") % {
        "case": case.text,
        "day": format_day(hearing.date),
    }


def _hearing_page(hearing: Any) -> str:
    return reverse("solidarity:hearing", args=[hearing.pk])


def _hearing_alone(hearing: Any) -> str:
    """ "Hearing, 3 March 2025": a hearing whose case lends it no title."""
    return gettext("Hearing, %(day)s") % {"day": format_day(hearing.date)}


def register() -> None:
    """Name monitoring and solidarity records in the change history (the app's ``ready``)."""
    register_titles(
        Hearing,
        owned(Hearing, "case_id", Case, _hearing, fields=("date",), url=_hearing_page,
              unowned=_hearing_alone),
    )  # fmt: skip
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
