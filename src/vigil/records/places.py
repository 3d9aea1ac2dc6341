"""What an act's place is: the court that decided, a place of detention, or another place.

An act's ``place`` is an organisation; its kind says what the place is. A court
(``organisation_kind.court``) is where a trial, a sentence, an appeal or cassation decision, or
an administrative arrest or fine was decided. A place of detention (``organisation_kind.prison``:
penal colony, prison, SIZO) is where the person is or was held: the Viasna list names only that,
so a conviction imported from it has a place of detention and no court. Pages label each place by
what it is ("Court", "Place of detention") and say "court not named in the source" for a court
decision whose court is not recorded; a judge's page lists only courts as courts.

**Courts, by decisions recorded there** (the country report's courts figure, the judge
page's courts): acts of the court-decision types (:data:`COURT_DECISIONS`) whose place is a
court, from every source (entry forms, the API, the ZUBR administrative decisions), each act once;
a place of detention or any other place never counts as a court. Function: :func:`court_decisions`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vigil.records.models import Act, Term

COURT_KIND = "organisation_kind.court"
DETENTION_KIND = "organisation_kind.prison"
# Acts a court decides (criminal and administrative): where their court is named, it is the place.
COURT_DECISIONS: tuple[str, ...] = (
    "trial",
    "sentence",
    "appeal_decision",
    "cassation_decision",
    "administrative_arrest",
    "administrative_fine",
    "fine",
)
# Criminal-court acts: a page says so when the source names no court for one of them.
NEEDS_COURT: frozenset[str] = frozenset(
    {"trial", "sentence", "appeal_decision", "cassation_decision"}
)
COURT_NOT_NAMED = _("court not named in the source")


def court_decision_types() -> list[str]:
    """Term ids of the act types a court decides."""
    return [Term.pk_for("act_type", key) for key in COURT_DECISIONS]


def court_decisions(acts: QuerySet[Act], prefix: str = "") -> QuerySet[Act]:
    """The court decisions among ``acts`` whose place is a court (see the module docstring).

    ``prefix`` is the path from the queryset's model to the act (``"act__"`` for involvements).
    """
    return acts.filter(
        **{
            f"{prefix}act_type_id__in": court_decision_types(),
            f"{prefix}place__kind_id": COURT_KIND,
        }
    )


def is_court(org: Any) -> bool:
    """Whether an organisation (an act's place) is a court."""
    return org is not None and org.kind_id == COURT_KIND


def is_place_of_detention(org: Any) -> bool:
    """Whether an organisation (an act's place) is a place of detention."""
    return org is not None and org.kind_id == DETENTION_KIND


def court_of(act: Act) -> Any:
    """The court of ``act`` when its place is a court, else None."""
    return act.place if is_court(act.place) else None


def detention_place_of(act: Act) -> Any:
    """The place of detention recorded on ``act``, else None."""
    return act.place if is_place_of_detention(act.place) else None


def court_not_named(act: Act) -> bool:
    """Whether ``act`` is a criminal-court act whose court the record does not name.

    A place a page blanked because its reader may not view it (``place_hidden``) is not "not
    named": the page then says nothing about the court.
    """
    if getattr(act, "place_hidden", False):
        return False
    return act.act_type_id.split(".", 1)[-1] in NEEDS_COURT and court_of(act) is None
