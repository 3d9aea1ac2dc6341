"""The sanctions gap: perpetrators in the record and, per list, whether they are listed.

Perpetrator persons are the report's rows; perpetrator organisations (a court, the KGB, a
penal colony) its organisation rows, with the same statuses and the same standing order.

Never "not sanctioned": a perpetrator is "listed on LIST (version DATE)" by a confirmed match,
"candidate awaiting review" when a match is pending, "not found on LIST (version DATE)" only
after a screening against that version, "not screened yet" before one, or "LIST not loaded".
Lists older than 90 days (or undated) are flagged stale.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy

from vigil.policy.access import restrict
from vigil.records.models import Act, Involvement, Organisation, Person
from vigil.records.sentence_totals import SentenceTotals, sentence_totals
from vigil.sanctions.labels import STANDING_LABELS, STANDINGS, issuer_label
from vigil.sanctions.models import Decision, ListScreening, SanctionsList, ScreeningMatch
from vigil.sanctions.screening import perpetrator_organisations, perpetrators

if TYPE_CHECKING:
    from vigil.accounts.types import User

MAJOR_ISSUERS = ("EU", "UK", "US")
# A perpetrator's statuses on the lists, in the order the dossier lists them.
STATUS_ORDER = {"listed": 0, "pending": 1, "not_found": 2, "not_screened": 3}
# Perpetrator roles (vocabulary perpetrator_role) as the plural noun of the summary lines.
ROLE_PLURALS = {
    "presiding_judge": pgettext_lazy("perpetrators", "presiding judges"),
    "judge": pgettext_lazy("perpetrators", "judges"),
    "prosecutor": pgettext_lazy("perpetrators", "prosecutors"),
    "investigator": pgettext_lazy("perpetrators", "investigators"),
    "interrogator": pgettext_lazy("perpetrators", "interrogators"),
    "police_officer": pgettext_lazy("perpetrators", "police officers"),
    "prison_official": pgettext_lazy("perpetrators", "prison officials"),
    "ordering_official": pgettext_lazy("perpetrators", "officials who gave the order"),
    "responsible_agency": pgettext_lazy("perpetrators", "responsible agencies"),
    "law_author": pgettext_lazy("perpetrators", "authors of the law or policy"),
    "other": pgettext_lazy("perpetrators", "perpetrators in other roles"),
}


@dataclass
class ListStatus:
    list: SanctionsList
    state: str  # listed | pending | not_found | not_screened
    entity_id: str = ""
    matched_name: str = ""
    reason: str = ""
    score: float | None = None
    match_id: Any = None

    @property
    def text(self) -> str:
        # Read when shown, so it follows the page's (or the printed document's) language.
        values = {
            "list": self.list.name,
            "version": self.list.version_label,
            "entity": self.entity_id,
        }
        if self.state == "listed":
            return gettext("listed on %(list)s (version %(version)s) as %(entity)s") % values
        if self.state == "pending":
            values["score"] = f"{self.score:.2f}"
            return (
                gettext("candidate on %(list)s (%(entity)s, score %(score)s) awaiting review")
                % values
            )
        if self.state == "not_screened":
            return gettext("not screened yet against %(list)s (version %(version)s)") % values
        return gettext("not found on %(list)s (version %(version)s)") % values

    @property
    def label(self) -> str:
        """The status as a person reads it on a page or in print: the list by its label."""
        values = {
            "list": self.list.label,
            "version": self.list.version_text,
            "entity": self.entity_id,
        }
        if self.state == "listed":
            return gettext("listed on the %(list)s (version of %(version)s) as %(entity)s") % values
        if self.state == "pending":
            values["score"] = formats.number_format(self.score or 0, 2)
            return (
                gettext("candidate %(entity)s on the %(list)s (score %(score)s), awaiting review")
                % values
            )
        if self.state == "not_screened":
            return (
                gettext("not screened yet against the %(list)s (version of %(version)s)") % values
            )
        return gettext("not found on the %(list)s (version of %(version)s)") % values

    @property
    def short(self) -> str:
        """The status in a table cell whose column names the list."""
        values = {"version": self.list.version_text, "entity": self.entity_id}
        if self.state == "listed":
            return gettext("listed as %(entity)s") % values
        if self.state == "pending":
            values["score"] = formats.number_format(self.score or 0, 2)
            return gettext("candidate %(entity)s (score %(score)s), awaiting review") % values
        if self.state == "not_screened":
            return gettext("not screened yet")
        return gettext("not found (version of %(version)s)") % values


@dataclass
class ActLine:
    act: Act
    role: str
    role_terms: list[Any] = field(default_factory=list)

    @property
    def role_labels(self) -> list[str]:
        """The perpetrator's roles in this act, labelled in the active language."""
        return [t.label() for t in self.role_terms]

    @property
    def sentence_months(self) -> Decimal | None:
        return self.act.sentence_months


@dataclass
class GapRow:
    person: Person | None
    roles: list[str]
    acts: list[ActLine]
    statuses: list[ListStatus]
    role_terms: list[Any] = field(default_factory=list)
    organisation: Organisation | None = None

    @property
    def of_person(self) -> Person:
        """The person of a person row (every row of :func:`gap_report` is one)."""
        assert self.person is not None, "an organisation row"
        return self.person

    @property
    def display_name(self) -> str:
        subject = self.organisation if self.organisation is not None else self.person
        return subject.display_name if subject is not None else ""

    @property
    def is_organisation(self) -> bool:
        return self.organisation is not None

    @property
    def role_labels(self) -> list[str]:
        """``roles`` labelled in the active language (the keys stay for CSV and JSON)."""
        return [t.label() for t in self.role_terms] or list(self.roles)

    @property
    def standing(self) -> str:
        """Listed (on some list), else candidate, else not found (screened against every
        list loaded), else not screened yet: the order in which every surface lists rows."""
        states = {s.state for s in self.statuses}
        if "listed" in states:
            return "listed"
        if "pending" in states:
            return "candidate"
        if "not_screened" in states or not states:
            return "not_screened"
        return "not_found"

    @property
    def standing_label(self) -> str:
        return str(STANDING_LABELS[self.standing])

    @property
    def statuses_in_order(self) -> list[ListStatus]:
        """The statuses listed first, then candidates, not found, not screened yet."""
        return sorted(self.statuses, key=lambda s: STATUS_ORDER.get(s.state, len(STATUS_ORDER)))

    @property
    def victims(self) -> list[Person]:
        seen: dict[Any, Person] = {}
        for line in self.acts:
            victim_id = line.act.victim_person_id
            if victim_id and victim_id not in seen and line.act.victim_person is not None:
                seen[victim_id] = line.act.victim_person
        return list(seen.values())

    @cached_property
    def totals(self) -> SentenceTotals:
        """Sentences handed in these acts, by kind (``records.sentence_totals``)."""
        return sentence_totals(line.act for line in self.acts)

    @property
    def months_handed(self) -> Decimal:
        """Months of deprivation of liberty handed (never restriction, suspended or arrest)."""
        return self.totals.deprivation_months

    @property
    def listed_by(self) -> list[str]:
        return sorted({s.list.issuer for s in self.statuses if s.state == "listed"})

    @property
    def unsanctioned(self) -> bool:
        return not self.listed_by

    @property
    def unscreened(self) -> bool:
        """Not listed, and not yet screened against some loaded list's current version."""
        return self.unsanctioned and any(s.state == "not_screened" for s in self.statuses)


@dataclass
class GapReport:
    generated: dt.datetime
    lists: list[SanctionsList]
    rows: list[GapRow]
    missing_issuers: list[str] = field(default_factory=list)
    #: Perpetrator organisations, in the same standing order as ``rows`` (persons).
    organisations: list[GapRow] = field(default_factory=list)

    @property
    def missing_issuer_labels(self) -> list[str]:
        """The issuers no list is loaded from, in the active language."""
        return [issuer_label(i) for i in self.missing_issuers]

    @property
    def stale_lists(self) -> list[SanctionsList]:
        return [lst for lst in self.lists if lst.is_stale()]

    def summary(self) -> list[str]:
        """Sentences such as "Of 125 judges in the record, 29 are listed by the EU, ..."."""
        by_role: dict[str, list[GapRow]] = defaultdict(list)
        for row in self.rows:
            for role in row.roles:
                by_role[role].append(row)
        issuers = sorted({lst.issuer for lst in self.lists})
        lines = []
        for role, rows in sorted(by_role.items(), key=lambda kv: -len(kv[1])):
            counts = Counter(issuer for row in rows for issuer in row.listed_by)
            listed = ", ".join(
                gettext("%(count)s by the %(issuer)s")
                % {"count": counts.get(i, 0), "issuer": issuer_label(i)}
                for i in issuers
            ) or gettext("no list")
            # "On none of the lists" only for those screened against every list loaded.
            nowhere = sum(1 for row in rows if row.unsanctioned and not row.unscreened)
            line = gettext(
                "Of %(count)s %(roles)s in the record, %(listed)s; "
                "%(nowhere)s on none of the lists loaded."
            ) % {"count": len(rows), "roles": _plural(role), "listed": listed, "nowhere": nowhere}
            lines.append(capfirst(line))
        if self.organisations:
            counts = Counter(i for row in self.organisations for i in row.listed_by)
            listed = ", ".join(
                gettext("%(count)s by the %(issuer)s")
                % {"count": counts.get(i, 0), "issuer": issuer_label(i)}
                for i in issuers
            ) or gettext("no list")
            nowhere = sum(1 for r in self.organisations if r.unsanctioned and not r.unscreened)
            lines.append(
                gettext(
                    "Of %(count)s perpetrator organisations in the record, %(listed)s; "
                    "%(nowhere)s on none of the lists loaded."
                )
                % {"count": len(self.organisations), "listed": listed, "nowhere": nowhere}
            )
        unscreened = sum(1 for row in self.rows if row.unscreened)
        unscreened += sum(1 for row in self.organisations if row.unscreened)
        if unscreened:
            lines.append(
                gettext("Perpetrators not screened yet against every list loaded: %(count)s.")
                % {"count": unscreened}
            )
        if self.missing_issuers:
            lines.append(
                gettext("Not loaded: %(issuers)s lists.")
                % {"issuers": ", ".join(self.missing_issuer_labels)}
            )
        return lines


def _plural(role: str) -> str:
    """The role key as a plural noun in the active language (English for unknown roles)."""
    if role in ROLE_PLURALS:
        return str(ROLE_PLURALS[role])
    word = role.replace("_", " ")
    return word + "s" if not word.endswith("s") else word


def gap_report(user: User, *, roles: list[str] | None = None) -> GapReport:
    """The gap report over the perpetrators ``user`` may see (optionally only some roles).

    Every queryset goes through the policy: a hidden act, involvement, victim or screening
    match never counts, and a perpetrator known only through hidden acts is not a row.
    """
    lists = list(restrict(user, "view", SanctionsList.objects.all()))
    loaded = {lst.issuer for lst in lists}
    missing = [i for i in MAJOR_ISSUERS if i not in loaded]
    return GapReport(
        generated=dt.datetime.now(dt.UTC),
        lists=lists,
        rows=_rows(user, lists, roles, "person", perpetrators()),
        missing_issuers=missing,
        organisations=_rows(user, lists, roles, "organisation", perpetrator_organisations()),
    )


def _act_lines(involvements: Any) -> tuple[list[ActLine], list[str], dict[str, Any]]:
    """Each act once, with every role the perpetrator had in it (judge and presiding judge)."""
    found: dict[Any, tuple[Act, set[str]]] = {}
    terms: dict[str, Any] = {}
    for inv in involvements:
        found.setdefault(inv.act_id, (inv.act, set()))[1].add(inv.role.key)
        terms[inv.role.key] = inv.role
    acts = [
        ActLine(act, ", ".join(sorted(keys)), [terms[k] for k in sorted(keys)])
        for act, keys in found.values()
    ]
    acts.sort(key=lambda line: line.act.date or dt.date.min)
    roles = sorted({role for line in acts for role in line.role.split(", ")})
    return acts, roles, terms


def _rows(
    user: User,
    lists: list[SanctionsList],
    roles: list[str] | None,
    side: str,
    candidates: QuerySet[Any],
) -> list[GapRow]:
    """One row per perpetrator of ``side`` ("person" or "organisation") ``user`` may see.

    Every queryset goes through the policy; a status says "not found" only where a screening
    against the list as imported now is on record.
    """
    involvements = restrict(
        user,
        "view",
        Involvement.objects.filter(**{f"perpetrator_{side}__isnull": False}).select_related(
            "act", "act__victim_person", "act__act_type", "role"
        ),
    )
    if roles:
        involvements = involvements.filter(role__key__in=roles)
    subjects = restrict(user, "view", candidates).filter(
        pk__in=involvements.values(f"perpetrator_{side}_id")
    )
    subjects = subjects.prefetch_related(Prefetch("involvements", queryset=involvements))
    matches: dict[Any, list[ScreeningMatch]] = defaultdict(list)
    visible_matches = restrict(
        user,
        "view",
        ScreeningMatch.objects.filter(**{f"{side}__isnull": False}).exclude(
            decision=Decision.REJECTED
        ),
    )
    for m in visible_matches.select_related("listed_entity", "listed_entity__sanctions_list"):
        matches[getattr(m, f"{side}_id")].append(m)
    current = {lst.pk: lst.imported_at for lst in lists}
    screened: set[tuple[Any, int]] = {
        (sid, list_id)
        for sid, list_id, imported_at in ListScreening.objects.filter(
            **{f"{side}__in": subjects, "sanctions_list__in": lists}
        ).values_list(f"{side}_id", "sanctions_list_id", "list_imported_at")
        if current.get(list_id) == imported_at
    }
    rows = []
    for subject in subjects:
        # Each act once: two involvements in an act (judge and presiding judge, or a
        # duplicate) are one act line with both roles.
        acts, keys, terms = _act_lines(subject.involvements.all())
        rows.append(
            GapRow(
                person=subject if side == "person" else None,
                organisation=subject if side == "organisation" else None,
                roles=keys,
                role_terms=[terms[k] for k in keys],
                acts=acts,
                statuses=[
                    _status(lst, matches[subject.pk], (subject.pk, lst.pk) in screened)
                    for lst in lists
                ],
            )
        )
    # Listed first, then candidates, not found, not screened yet: on every surface.
    rows.sort(key=lambda r: (STANDINGS.index(r.standing), -len(r.acts), r.display_name))
    return rows


def _status(lst: SanctionsList, matches: list[ScreeningMatch], screened: bool) -> ListStatus:
    on_list = [m for m in matches if m.listed_entity.sanctions_list_id == lst.pk]
    confirmed = [m for m in on_list if m.decision == Decision.CONFIRMED]
    if confirmed:
        m = confirmed[0]
        return ListStatus(
            lst,
            "listed",
            m.listed_entity.entity_id,
            m.matched_name,
            m.listed_entity.reason,
            m.score,
        )
    if on_list:
        m = max(on_list, key=lambda x: x.score)
        return ListStatus(
            lst,
            "pending",
            m.listed_entity.entity_id,
            m.matched_name,
            m.listed_entity.reason,
            m.score,
            m.pk,
        )
    return ListStatus(lst, "not_found" if screened else "not_screened")
