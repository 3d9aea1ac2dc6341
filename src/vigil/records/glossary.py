"""The glossary: each custody, sentence, court and estimate figure Vigil shows, its definition
and its function.

The full definitions are the docstrings of ``vigil.records.custody`` and
``vigil.records.sentence_totals``; this list is what the glossary page (and ``docs/figures.md``)
shows, in the reader's language, with the one function that computes each figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Definition:
    """One figure: an anchor for links, its name, its definition and the function computing it."""

    anchor: str
    name: Promise
    text: Promise
    function: str


FIGURES: tuple[Definition, ...] = (
    Definition(
        "in-custody",
        _("In custody"),
        _(
            "Persons whose latest act deciding custody (arrest, detention, administrative "
            "arrest, a sentence of deprivation of liberty) has no later release, pardon, "
            "dismissal or non-custodial sentence, and whose recorded sentence term has not "
            "ended. Derived from the acts you may view, never from a source's status label."
        ),
        "vigil.records.custody.custody_by_person",
    ),
    Definition(
        "term-ended",
        _("Term ended, release not recorded"),
        _(
            "Persons who would be in custody or under restricted liberty, but whose recorded "
            "sentence term (counted from the start of custody) has ended with no release "
            "recorded. Custody is unknown: a task for documenters, never part of the count of "
            "persons in custody or with restricted liberty."
        ),
        "vigil.records.custody.custody_by_person",
    ),
    Definition(
        "restricted-liberty",
        _("Restricted liberty"),
        _(
            "Persons whose latest deciding act is house arrest or a sentence of restriction "
            "of liberty (“khimiya” in an open facility, home confinement) whose term has not "
            "ended: not imprisoned, not free. Counted apart from custody."
        ),
        "vigil.records.custody.custody_by_person",
    ),
    Definition(
        "sentences-by-kind",
        _("Sentences by kind"),
        _(
            "Sentences handed in a set of acts, counted apart: deprivation of liberty (penal "
            "colony, prison), restriction of liberty (khimiya, home confinement), suspended "
            "sentences, fines (amounts per unit) and days of arrest. Each act counts once "
            "however many involvements link it; an appeal that states a term replaces the "
            "sentence it reviewed for the same victim."
        ),
        "vigil.records.sentence_totals.sentence_totals",
    ),
    Definition(
        "estimate",
        _("Estimated total, with its interval"),
        _(
            "How many persons there probably were, including those no list recorded: "
            "estimated from how many persons are on each combination of linked lists "
            "(multiple systems estimation), always shown with its interval and beside the "
            "documented count. The estimate is stored with its inputs, method, seed and "
            "software versions, so it can be recomputed exactly."
        ),
        "vigil.counting.stored.compute",
    ),
    Definition(
        "courts",
        _("Courts, by decisions recorded there"),
        _(
            "Trials, sentences, appeal and cassation decisions, administrative arrests and "
            "fines whose place is a court, from every source, each act once. A place of "
            "detention (penal colony, prison, SIZO) is never a court: where a source names "
            "only the place of detention, pages say “court not named in the source”."
        ),
        "vigil.records.places.court_decisions",
    ),
)
