"""The demo's fictional at-risk scenario: early warning, protection and alerts at work.

A few fictional lawyers and a fictional defender, members of a fictional bar association, with
the precursor acts the warning model reads (summons, searches, interrogations, warnings,
disbarment proceedings, an administrative arrest...); two of their colleagues were arrested.
Three are put on the watched register (one marked relocated), the population is scored as
`vigil warning score` does, a new act on a watched person raises an alert, and a pseudonymous
protection case gets actions and a grant from a fictional defence fund.

Everything is written through the functions a user's actions go through (``save_checked`` for
records, so each has its history; ``register.add``, ``run_scoring``, ``open_case``,
``add_action``, ``create_fund``, ``record_grant``), never as rows past the domain code. Every
record is flagged ``is_synthetic``, carries the synthetic data's note and cites only the
scenario's own fictional source; names come from the fictional list
(:func:`vigil.names.fictional.fictional_names`). No real person, court or organisation is linked.
Dates count back from today, so the signals are current whenever the demo is built.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from vigil.core.models import VigilModel
from vigil.demo.synthetic import NOTE
from vigil.names.fictional import fictional_names
from vigil.policy.access import save_checked
from vigil.records.models import (
    Act,
    ActStatus,
    Event,
    Information,
    Organisation,
    OrganisationName,
    Person,
    PersonName,
    Profession,
    Source,
    Term,
)
from vigil.records.names import normalised_name

if TYPE_CHECKING:
    from vigil.accounts.types import User

SEED = "vigil-demo-scenario"
SOURCE_TITLE = "Fictional demo scenario: lawyers at risk (not a real case)"
# (act type, days before today it happened, days it took the organisation to learn of it)
Timeline = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Role:
    """One fictional person of the scenario: profession, acts, and what the analyst did."""

    profession: str
    sex: str
    acts: Timeline
    register: str = ""  # "" (not on it), "watched" or another register status


ROLES: tuple[Role, ...] = (
    # Arrested colleagues: the record's outcomes, and the network signal of the others.
    Role("lawyer", "male", (("summons", 520, 3), ("search", 480, 2), ("arrest", 430, 1))),
    Role("lawyer", "female", (("warning", 200, 5), ("interrogation", 120, 2), ("arrest", 50, 1))),
    # Watched: the analyst follows them; the last act on the first comes after (an alert).
    Role(
        "lawyer",
        "female",
        (("summons", 150, 2), ("interrogation", 95, 3), ("disbarment_proceedings", 40, 4)),
        "watched",
    ),
    Role(
        "human_rights_defender",
        "male",
        (
            ("search", 75, 1),
            ("administrative_arrest", 30, 2),
            ("release", 15, 1),
            ("state_media_smear", 12, 1),
        ),
        "watched",
    ),
    Role("lawyer", "male", (("travel_document_seizure", 260, 6), ("threat", 180, 3)), "relocated"),
    # Not on the register: scored all the same, from their signals.
    Role("lawyer", "male", (("warning", 90, 4), ("licence_suspension", 35, 3))),
    Role("human_rights_defender", "female", (("summons", 300, 2),)),
    Role("human_rights_defender", "male", (("state_media_smear", 400, 9),)),
)
# The act recorded after the analyst put the first watched person on the register.
LATER_ACT = ("search", 6, 1)
ADMINISTRATIVE_DAYS = 15


@dataclass
class ScenarioResult:
    persons: list[Person] = field(default_factory=list)
    acts: int = 0
    watched: int = 0
    scored: int = 0
    above: int = 0
    alerts: int = 0
    case: Any = None


class _Writer:
    """Saves fictional records for the demo's user through the policy (each with its history)."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.source: Source | None = None
        self.cited: list[VigilModel] = []

    def add(self, obj: VigilModel, *, cite: bool = False) -> Any:
        obj.is_synthetic = True
        if hasattr(obj, "notes") and not obj.notes:
            obj.notes = NOTE
        save_checked(self.user, "add", obj)
        if cite:
            self.cited.append(obj)
        return obj

    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def organisation(self, kind: str, latin: str, cyrillic: str) -> Organisation:
        kind_id = Term.pk_for("organisation_kind", kind)
        org = self.add(Organisation(display_name=latin, country="BY", kind_id=kind_id), cite=True)
        self._names(OrganisationName, "organisation", org, latin, cyrillic)
        return org

    def person(self, role: Role, bar: Organisation) -> Person:
        latin, cyrillic = fictional_names().person(self.rng, role.sex)
        person = self.add(Person(display_name=latin, sex=role.sex, nationality="BY"), cite=True)
        self._names(PersonName, "person", person, latin, cyrillic)
        self.add(Profession(
            person=person, profession_id=Term.pk_for("profession", role.profession),
            bar_association=bar if role.profession == "lawyer" else None,
        ))  # fmt: skip
        return person

    def _names(
        self, model: Callable[..., VigilModel], owner: str, obj: VigilModel, latin: str,
        cyrillic: str,
    ) -> None:  # fmt: skip
        """A Latin (primary) and a Cyrillic name, as the synthetic persons have."""
        for value, script, kind in ((latin, "Latn", "transliteration"),
                                    (cyrillic, "Cyrl", "official")):  # fmt: skip
            self.add(model(value=value, script=script, lang="be", kind=kind,
                           is_primary=script == "Latn", normalised=normalised_name(value),
                           **{owner: obj}))  # fmt: skip

    def act(self, person: Person, kind: str, days_ago: int, learned_after: int) -> Act:
        date = self.day(days_ago)
        label = kind.replace("_", " ").capitalize()
        event = self.add(Event(title=f"{label}: {person.display_name} (fictional)", date=date,
                               date_precision="day"), cite=True)  # fmt: skip
        # An administrative arrest was served (a release follows it); a criminal arrest goes on.
        served = ADMINISTRATIVE_DAYS if kind == "administrative_arrest" else None
        return self.add(Act(
            event=event, act_type_id=Term.pk_for("act_type", kind), victim_person=person,
            date=date, date_precision="day", known_since=date + dt.timedelta(days=learned_after),
            detention_days=served, status=ActStatus.ENDED if served else ActStatus.UNKNOWN,
        ), cite=True)  # fmt: skip

    def cite_all(self) -> None:
        """Every person, organisation, event and act cites the scenario's fictional source."""
        assert self.source is not None
        types: dict[type, ContentType] = {}
        for obj in self.cited:
            ct = types.setdefault(type(obj), ContentType.objects.get_for_model(type(obj)))
            self.add(Information(source=self.source, target_type=ct, target_id=obj.pk))
        self.cited.clear()


def load_scenario(user: User) -> ScenarioResult:
    """Write the scenario as ``user`` (the demo's administrator), score it, open its case."""
    from vigil.warning import register
    from vigil.warning.loading import Include
    from vigil.warning.models import RegisterStatus
    from vigil.warning.scoring import run_scoring

    w = _Writer(user)
    result = ScenarioResult()
    with transaction.atomic():
        w.source = w.add(Source(
            title=SOURCE_TITLE, publisher="Vigil demo generator", notes=NOTE,
            source_type_id=Term.pk_for("source_type", "dataset"),
            reliability_id=Term.pk_for("source_reliability", "unknown"),
        ))  # fmt: skip
        stem = w.rng.choice(fictional_names().stems)
        bar = w.organisation("bar_association", f"{stem[0]}ski Bar Association (fictional)",
                             f"{stem[1]}ская калегія адвакатаў (выдуманая)")  # fmt: skip
        for role in ROLES:
            person = w.person(role, bar)
            result.persons.append(person)
            for kind, days_ago, learned in role.acts:
                w.act(person, kind, days_ago, learned)
                result.acts += 1
        w.cite_all()
        for role, person in zip(ROLES, result.persons, strict=True):
            if not role.register:
                continue
            register.add(user, person, "Fictional demo scenario: precursor acts on record.")
            if role.register != RegisterStatus.WATCHED:
                register.set_status(user, person, role.register)
            result.watched += 1
        # A new act on a watched person: the analyst watching them is told (an alert).
        first_watched = next(p for r, p in zip(ROLES, result.persons, strict=True) if r.register)
        w.act(first_watched, *LATER_ACT)
        result.acts += 1
        w.cite_all()
    run = run_scoring(user, include=Include.SYNTHETIC, links="none", backtest=False)
    result.scored = run.fit.population
    result.above = len(run.crossed)
    result.case = _protection(user, w, first_watched)
    from vigil.alerts.models import Notification

    result.alerts = Notification.objects.filter(recipient=user).count()
    return result


def _protection(user: User, w: _Writer, person: Person) -> Any:
    """A pseudonymous protection case for the watched lawyer, two actions and a grant."""
    from vigil.protection.cases import add_action, open_case
    from vigil.protection.funds import create_fund, record_grant
    from vigil.protection.models import ActionKind, ActionStatus, GrantPurpose, Urgency

    with transaction.atomic():
        case = open_case(
            user,
            beneficiary_name=f"{person.display_name} (fictional)",
            location="Fictional demo scenario",
            urgency=Urgency.HIGH,
            threats="Fictional demo case: summoned, questioned and facing disbarment "
            "proceedings; two colleagues of the same bar association were arrested.",
            needs="Fictional demo case: legal aid, digital-security help, a plan to leave.",
            synthetic=True,
        )
        add_action(user, case, kind=ActionKind.LEGAL_AID, due=w.day(-7),
                   status=ActionStatus.IN_PROGRESS, note="Fictional demo action.")  # fmt: skip
        add_action(user, case, kind=ActionKind.DIGITAL_SECURITY, due=w.day(2),
                   note="Fictional demo action.")  # fmt: skip
        fund = create_fund(user, name="Fictional demo defence fund", currency="EUR",
                           description=NOTE, synthetic=True)  # fmt: skip
        record_grant(user, fund, amount="1500.00", date=w.day(3), case=case,
                     purpose=GrantPurpose.LEGAL_FEES, note="Fictional demo grant.")  # fmt: skip
    return case
