"""What the "How many?" page shows per category: the documented count and the estimate.

For each category (persons detained, political prisoners, lawyers persecuted): the count the
record documents — distinct persons, so deduplicated by the merges already made — over what
the acting user may count (the country report's coverage: the one policy, public and internal
records, synthetic ones left out); the latest stored estimate of that category the user may
view, with its interval, the overlap of its lists as an UpSet plot, the assumptions in plain
words, and the command that reproduces it. An estimate is never given without its interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from vigil.counting.models import Category, StoredEstimate
from vigil.records.custody import (
    DETAINING,
    RELEVANT,
    Custody,
    custody_by_person,
    custody_counts,
)
from vigil.records.models import Act, Profession, Term
from vigil.reports.coverage import Coverage
from vigil.reports.figures import LAWYER_CATEGORIES

if TYPE_CHECKING:
    from vigil.counting.upset import UpSet

CATEGORIES: tuple[str, ...] = (
    Category.DETAINED,
    Category.POLITICAL_PRISONERS,
    Category.LAWYERS,
)

DEFINITIONS: dict[str, Any] = {
    Category.DETAINED: _(
        "Distinct persons who are victims of at least one recorded arrest or detention "
        "(including administrative and incommunicado detention)."
    ),
    Category.POLITICAL_PRISONERS: _(
        "Persons in custody today, derived from the recorded acts by the one custody rule "
        "(see the definitions of the figures)."
    ),
    Category.LAWYERS: _(
        "Distinct persons recorded as lawyers who were disbarred, had their licence "
        "suspended, were detained or were sentenced."
    ),
}

ASSUMPTIONS = [
    _("The lists describe the same population over the same period: nobody joins or leaves "
      "it while the lists are kept."),
    _("The same person is recognised on every list. Links found by the computer are "
      "uncertain; when the estimate was made from linked lists, that uncertainty is in its "
      "interval."),
    _("Everyone had some chance of being on some list. People whom no list could ever "
      "reach are not in any estimate."),
    _("How the lists depend on each other is described well enough by the model. Different "
      "models can give different answers; the interval does not include that choice."),
]


@dataclass(frozen=True)
class Section:
    """One category of the page."""

    category: str
    title: str
    documented: int
    definition: str
    estimate: StoredEstimate | None
    upset: UpSet | None


def _act_types(keys: tuple[str, ...] | frozenset[str] | set[str]) -> list[str]:
    return [Term.pk_for("act_type", k) for k in keys]


def _victims(coverage: Coverage, keys: Any) -> Any:
    return coverage.apply(
        Act.all_objects.filter(act_type_id__in=_act_types(keys), victim_person__isnull=False),
        "victim_person__",
    )


def documented_count(category: str, coverage: Coverage) -> int:
    """The documented, deduplicated count of ``category`` over ``coverage``."""
    if category == Category.DETAINED:
        return _victims(coverage, DETAINING).aggregate(n=Count("victim_person", distinct=True))["n"]
    if category == Category.POLITICAL_PRISONERS:
        states = custody_by_person(_victims(coverage, RELEVANT))
        return custody_counts(states.values())["in_custody"]
    if category == Category.LAWYERS:
        lawyers = coverage.apply(
            Profession.all_objects.filter(profession_id="profession.lawyer"), "person__"
        ).values("person_id")
        keys = {k for group in LAWYER_CATEGORIES.values() for k in group}
        return (
            _victims(coverage, keys)
            .filter(victim_person_id__in=lawyers)
            .aggregate(n=Count("victim_person", distinct=True))["n"]
        )
    raise ValueError(f"no documented count for {category!r}")


def documented_person_ids(category: str, coverage: Coverage) -> set[Any]:
    """The ids of the persons :func:`documented_count` counts (a list of the record's own)."""
    if category == Category.DETAINED:
        return set(_victims(coverage, DETAINING).values_list("victim_person_id", flat=True))
    if category == Category.POLITICAL_PRISONERS:
        states = custody_by_person(_victims(coverage, RELEVANT))
        return {pid for pid, state in states.items() if state.status is Custody.IN_CUSTODY}
    if category == Category.LAWYERS:
        lawyers = coverage.apply(
            Profession.all_objects.filter(profession_id="profession.lawyer"), "person__"
        ).values("person_id")
        keys = {k for group in LAWYER_CATEGORIES.values() for k in group}
        return set(
            _victims(coverage, keys)
            .filter(victim_person_id__in=lawyers)
            .values_list("victim_person_id", flat=True)
        )
    raise ValueError(f"no documented persons for {category!r}")


def latest_estimate(category: str, coverage: Coverage) -> StoredEstimate | None:
    """The newest stored estimate of ``category`` that ``coverage`` counts."""
    return (
        coverage.apply(StoredEstimate.all_objects.filter(category=category))
        .order_by("-created_at")
        .first()
    )


def how_many(coverage: Coverage) -> list[Section]:
    """Every category's section, for the page and the country report."""
    # The overlap table and its plot use numpy: loaded here, not with the URL conf.
    from vigil.counting.stored import table_from_inputs
    from vigil.counting.upset import upset

    labels = dict(Category.choices)
    sections = []
    for category in CATEGORIES:
        stored = latest_estimate(category, coverage)
        plot = upset(table_from_inputs(stored.inputs)) if stored is not None else None
        sections.append(
            Section(
                category=category,
                title=str(labels[category]),
                documented=documented_count(category, coverage),
                definition=str(DEFINITIONS[category]),
                estimate=stored,
                upset=plot,
            )
        )
    return sections


def stored_estimates(coverage: Coverage) -> list[tuple[str, StoredEstimate]]:
    """(category title, latest estimate) for the categories that have one (the home page)."""
    labels = dict(Category.choices)
    found = [(str(labels[c]), latest_estimate(c, coverage)) for c in CATEGORIES]
    return [(title, row) for title, row in found if row is not None]
