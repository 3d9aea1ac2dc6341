"""Which recorded person a picker chooses for the user, so that a form never makes a duplicate.

A name typed in a picker (the judge, the counsel...) is compared with every visible person. When
exactly one of them matches at the names engine's operating threshold and has been recorded in a
role compatible with the picker's (a judge for the judge field; a lawyer, or a persecuted
lawyer recorded as a victim, for counsel), that person is chosen in advance. A new person is
recorded only when the user chooses "None of these": a form posted with a name like a recorded
person's and no choice is returned with the choice to make.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vigil.entry.suggest import Suggestion, suggest_persons
from vigil.names import OPERATING_THRESHOLD
from vigil.policy.access import restrict
from vigil.records.models import Act, Counsel, Involvement, Term

if TYPE_CHECKING:
    from vigil.accounts.types import User

# The value of the "None of these: record a new person" choice.
NEW = "new"
# Roles a person is recorded in besides the perpetrator roles of the vocabulary.
VICTIM = "victim"
COUNSEL = "counsel"
# For each picker, the recorded roles that make a candidate a plausible match. A person recorded
# in no role at all (only their names) is compatible with every picker.
COMPATIBLE_ROLES: dict[str, frozenset[str]] = {
    "judge": frozenset({"judge", "presiding_judge"}),
    "prosecutor": frozenset({"prosecutor"}),
    "officer": frozenset(
        {"investigator", "interrogator", "police_officer", "prison_official", "ordering_official"}
    ),
    # The persons Vigil documents are lawyers: a defender may be a victim in another case.
    "counsel": frozenset({COUNSEL, VICTIM}),
    "victim": frozenset({VICTIM, COUNSEL}),
}
MAX_SHOWN = 5


@dataclass(frozen=True)
class Offer:
    """The persons a picker offers for a typed name, and the choice made in advance.

    ``checked`` is a person's id, :data:`NEW`, or "" when the user must choose (several
    compatible persons match at the operating threshold).
    """

    picker: str
    suggestions: list[Suggestion]
    roles: dict[Any, set[str]] = field(default_factory=dict)

    @property
    def strong(self) -> list[Suggestion]:
        """Compatible candidates at the operating threshold: a new person needs a choice."""
        return [s for s in self.suggestions if self.is_strong(s)]

    def is_strong(self, s: Suggestion) -> bool:
        """At the operating threshold and recorded in a role compatible with the picker."""
        roles = self.roles.get(s.person.pk, set())
        return s.score >= OPERATING_THRESHOLD and compatible(self.picker, roles)

    @property
    def checked(self) -> str:
        """The person chosen in advance: the one strong candidate, else none or a new one."""
        strong = self.strong
        if len(strong) == 1:
            return str(strong[0].person.pk)
        return "" if strong else NEW

    @property
    def must_choose(self) -> bool:
        """Whether recording a new person needs the user's explicit choice."""
        return bool(self.strong)

    @property
    def rows(self) -> list[OfferRow]:
        """Each suggestion with its recorded roles, labelled, for the page."""
        return [
            OfferRow(s, role_labels(self.roles.get(s.person.pk, set()))) for s in self.suggestions
        ]


@dataclass(frozen=True)
class OfferRow:
    """One suggested person as a picker shows it."""

    suggestion: Suggestion
    roles: list[str]

    @property
    def person(self) -> Any:
        return self.suggestion.person

    @property
    def form(self) -> str:
        return self.suggestion.form


def role_labels(roles: set[str]) -> list[str]:
    """Recorded roles in the user's language ("Judge", "victim"...), sorted."""
    labels = {VICTIM: str(_("victim")), COUNSEL: str(_("defence lawyer"))}
    lang = (get_language() or "en")[:2]
    others = [r for r in roles if r not in labels]
    if others:
        for term in Term.objects.filter(vocabulary="perpetrator_role", key__in=others):
            labels[term.key] = term.label(lang)
    return sorted(labels.get(r, r) for r in roles)


def recorded_roles(user: User, person_ids: Iterable[Any]) -> dict[Any, set[str]]:
    """The roles each person is recorded in, in records ``user`` may view.

    Perpetrator roles by their vocabulary key, plus :data:`VICTIM` and :data:`COUNSEL`.
    """
    ids = list(person_ids)
    roles: dict[Any, set[str]] = defaultdict(set)
    if not ids:
        return roles
    involvements = restrict(user, "view", Involvement.objects.filter(perpetrator_person__in=ids))
    for pk, role in involvements.values_list("perpetrator_person_id", "role_id"):
        roles[pk].add(str(role).split(".", 1)[-1])
    counsel = restrict(user, "view", Counsel.objects.filter(lawyer__in=ids))
    for pk in counsel.values_list("lawyer_id", flat=True):
        roles[pk].add(COUNSEL)
    acts = restrict(user, "view", Act.objects.filter(victim_person__in=ids))
    for pk in acts.values_list("victim_person_id", flat=True).distinct():
        roles[pk].add(VICTIM)
    return roles


def compatible(picker: str, roles: set[str]) -> bool:
    """Whether a person recorded in ``roles`` may be the one typed in ``picker``."""
    wanted = COMPATIBLE_ROLES.get(picker)
    return wanted is None or not roles or bool(roles & wanted)


def suggestions_for(user: User, names: Iterable[str], *, exclude: Any = None) -> list[Suggestion]:
    """Visible persons like any of ``names``, each once with its best score, best first."""
    best: dict[Any, Suggestion] = {}
    for name in names:
        for s in suggest_persons(user, name, exclude=exclude):
            if s.person.pk not in best or s.score > best[s.person.pk].score:
                best[s.person.pk] = s
    return sorted(best.values(), key=lambda s: (-s.score, str(s.person.pk)))[:MAX_SHOWN]


def offer_for(user: User, picker: str, names: Iterable[str], *, exclude: Any = None) -> Offer:
    """What ``picker`` offers for the typed ``names``, with the person chosen in advance."""
    found = suggestions_for(user, names, exclude=exclude)
    return Offer(picker, found, recorded_roles(user, [s.person.pk for s in found]))
