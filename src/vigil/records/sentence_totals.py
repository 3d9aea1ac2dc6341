"""Sentences by kind and their totals over a set of acts: the one definition.

The perpetrator page, the sanctions gap report (CSV, HTML, PDF) and ``vigil sanctions
dossier`` all call :func:`sentence_totals`; custody (``vigil.records.custody``) reads the kind
of a sentence from :func:`sentence_kind`. The figures:

**Deprivation of liberty.** Months of imprisonment handed: a sentence with a regime (penal
colony, prison) or with a term that is neither suspended nor a restriction of liberty. Arrest
(a short custodial penalty) is counted apart, in days.

**Restriction of liberty.** Months of restricted freedom handed: "khimiya" in an open
facility, home confinement, or any sentence recorded with a restriction measure. The person is
not imprisoned; never added to deprivation of liberty.

**Suspended sentences.** Months of imprisonment suspended (conditional, probation): never
added to deprivation of liberty.

**Fines.** Sentences with a fine, and the amounts summed per unit (base rates, roubles);
a fine may go with a term of another kind and is then counted in both.

**Arrest.** Days of arrest handed: administrative arrests (from their dates) and sentences
whose penalty is arrest (their term in days).

Each act counts once, however many involvements link it to the person (a duplicated
involvement changes nothing). For one victim, an appeal or cassation decision that states a
term replaces the sentence it reviewed (the victim's latest earlier sentence in the set); one
that states no term (upheld) leaves the earlier term counted. A sentence with no term, regime,
measure or fine recorded counts as "term not recorded".
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

SENTENCING = ("sentence", "appeal_decision", "cassation_decision")
REVIEWING = ("appeal_decision", "cassation_decision")
_ORDER = {"sentence": 0, "appeal_decision": 1, "cassation_decision": 2}
DAYS_PER_MONTH = Decimal("30")
# The penalty "arrest" as the parser reads it (``records.sentences``): "arrest", "арест",
# "арышт" opening the penalty, after an optional term ("15 days; arrest").
_ARREST = re.compile(r"(?:^|;\s*)(?:administrative\s+)?(?:arrest\b|арест|арышт)", re.I)


class SentenceKind(StrEnum):
    """What a sentence does to the person's liberty."""

    DEPRIVATION = "deprivation_of_liberty"
    RESTRICTION = "restriction_of_liberty"
    SUSPENDED = "suspended"
    ARREST = "arrest"
    FINE = "fine"
    UNSTATED = "term_not_recorded"


def sentence_kind(
    *,
    months: Decimal | None,
    regime: object,
    measure: object,
    suspended: bool,
    fine: Decimal | None = None,
    text: str = "",
) -> SentenceKind:
    """The kind of one sentence from its recorded fields (the term's kind, not the fine's).

    A restriction measure makes it restriction of liberty; a regime, deprivation of liberty;
    "suspended" a suspended sentence; a term with the penalty "arrest", arrest; any other term,
    deprivation of liberty; a fine alone, a fine.
    """
    if measure:
        return SentenceKind.RESTRICTION
    if regime:
        return SentenceKind.DEPRIVATION
    if suspended:
        return SentenceKind.SUSPENDED
    if months:
        return SentenceKind.ARREST if _ARREST.search(text or "") else SentenceKind.DEPRIVATION
    if fine is not None:
        return SentenceKind.FINE
    return SentenceKind.UNSTATED


@dataclass
class SentenceTotals:
    """Totals of the sentences in a set of acts, by kind; each act counted once."""

    deprivation_months: Decimal = Decimal(0)
    deprivation_acts: int = 0
    restriction_months: Decimal = Decimal(0)
    restriction_acts: int = 0
    suspended_months: Decimal = Decimal(0)
    suspended_acts: int = 0
    arrest_days: int = 0
    arrest_acts: int = 0
    fine_acts: int = 0
    fines: dict[str, Decimal] = field(default_factory=dict)
    unstated_acts: int = 0
    fines_only: int = 0
    replaced_on_appeal: int = 0

    @property
    def sentences(self) -> int:
        """Sentences counted (after appeals replaced the terms they reviewed)."""
        return (
            self.deprivation_acts
            + self.restriction_acts
            + self.suspended_acts
            + self.arrest_acts
            + self.unstated_acts
            + self.fines_only
        )

    def as_dict(self) -> dict[str, Any]:
        """The totals as plain numbers (``--json`` and CSV)."""
        return {
            "deprivation_of_liberty_months": _plain(self.deprivation_months),
            "deprivation_of_liberty_sentences": self.deprivation_acts,
            "restriction_of_liberty_months": _plain(self.restriction_months),
            "restriction_of_liberty_sentences": self.restriction_acts,
            "suspended_months": _plain(self.suspended_months),
            "suspended_sentences": self.suspended_acts,
            "arrest_days": self.arrest_days,
            "arrests": self.arrest_acts,
            "fines": self.fine_acts,
            "fine_amounts": {unit: _plain(v) for unit, v in sorted(self.fines.items())},
            "sentences_term_not_recorded": self.unstated_acts,
        }

    def fines_text(self) -> str:
        """The fines summed per unit, e.g. "300 base rates; 1500 BYN"."""
        return "; ".join(f"{_plain(v)} {unit}".strip() for unit, v in sorted(self.fines.items()))


def _plain(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _kind_key(act: Any) -> str:
    return str(act.act_type_id).rsplit(".", 1)[-1]


def _states_a_term(act: Any) -> bool:
    return bool(
        act.sentence_months
        or act.sentence_regime_id
        or act.restriction_measure_id
        or act.suspended
        or act.fine_amount is not None
    )


def _arrest_days(act: Any) -> int:
    start, end = act.date, getattr(act, "date_end", None)
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end >= start:
        return (end - start).days + 1
    if act.sentence_months:
        return int((Decimal(act.sentence_months) * DAYS_PER_MONTH).to_integral_value())
    return 0


def counted_sentences(acts: Iterable[Any]) -> list[tuple[Any, bool]]:
    """The sentencing acts that count, each with whether it replaced a reviewed sentence.

    Each act once; for one victim, an appeal stating a term replaces the latest earlier one.
    """
    unique: dict[Any, Any] = {}
    for act in acts:
        unique.setdefault(act.pk, act)
    by_victim: dict[Any, list[Any]] = defaultdict(list)
    for act in unique.values():
        if _kind_key(act) in SENTENCING:
            victim = act.victim_person_id or act.victim_organisation_id or act.pk
            by_victim[victim].append(act)
    counted: list[tuple[Any, bool]] = []
    for found in by_victim.values():
        found.sort(key=lambda a: (a.date or dt.date.min, _ORDER[_kind_key(a)], str(a.pk)))
        chain: list[tuple[Any, bool]] = []
        for act in found:
            replaced = False
            if _kind_key(act) in REVIEWING:
                if not _states_a_term(act):
                    continue  # upheld without a term stated: the reviewed term stands
                if chain:
                    chain.pop()
                    replaced = True
            chain.append((act, replaced))
        counted.extend(chain)
    return counted


def sentence_totals(acts: Iterable[Any]) -> SentenceTotals:
    """Totals by kind of the sentences among ``acts`` (Act objects the caller may see).

    Pass only acts the acting user may view: this function reads no database.
    """
    totals = SentenceTotals()
    materialised = list(acts)
    for act, replaced in counted_sentences(materialised):
        totals.replaced_on_appeal += replaced
        kind = sentence_kind(
            months=act.sentence_months,
            regime=act.sentence_regime_id,
            measure=act.restriction_measure_id,
            suspended=act.suspended,
            fine=act.fine_amount,
            text=act.sentence_text,
        )
        months = Decimal(act.sentence_months or 0)
        if kind is SentenceKind.DEPRIVATION:
            totals.deprivation_acts += 1
            totals.deprivation_months += months
        elif kind is SentenceKind.RESTRICTION:
            totals.restriction_acts += 1
            totals.restriction_months += months
        elif kind is SentenceKind.SUSPENDED:
            totals.suspended_acts += 1
            totals.suspended_months += months
        elif kind is SentenceKind.ARREST:
            totals.arrest_acts += 1
            totals.arrest_days += _arrest_days(act)
        elif kind is SentenceKind.FINE:
            totals.fines_only += 1
        else:
            totals.unstated_acts += 1
        if act.fine_amount is not None:
            totals.fine_acts += 1
            unit = act.fine_unit or ""
            totals.fines[unit] = totals.fines.get(unit, Decimal(0)) + Decimal(act.fine_amount)
    seen_admin: set[Any] = set()
    for act in materialised:
        if _kind_key(act) == "administrative_arrest" and act.pk not in seen_admin:
            seen_admin.add(act.pk)
            totals.arrest_acts += 1
            totals.arrest_days += _arrest_days(act)
    return totals
