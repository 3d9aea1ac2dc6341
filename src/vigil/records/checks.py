"""What in the record needs a human: a coordinator's list of findings (`vigil check-record`).

Each kind of finding has one definition here, shown on the check page, printed by
``vigil check-record`` and written out in docs/figures.md ("Checks of the record"). Every
query goes through the access policy: a user is told only about records they may view.

**two_primary_names** — a live person with more than one live name marked primary (a person
has exactly one primary name; the others are aliases).

**two_arrests_one_date** — a live person who is the victim of two or more live acts of type
arrest on the same date (the same day, month or year at the same precision): usually one
arrest recorded twice.

**source_about_someone_else** — an act that cites a source (an information link on the act)
while that source is cited for one or more persons directly (on the person, one of their
names or professions: whom the source is about) and none of them is a person of the act
(its victim, a perpetrator, counsel or a participant). A source cited for no person says
nothing about whom it is about and is not checked.

**perpetrator_not_screened** — a perpetrator who may be screened (not synthetic, name not
withheld) with no screening against the current version of a loaded sanctions list
(``vigil.sanctions.screening.unscreened``). With no list loaded there is nothing to screen
against and no finding. Defined in ``vigil.sanctions.checks`` and registered from that app's
``ready()`` (the record sits below the sanctions lists).

**term_ended_no_release** — a person whose custody state (``vigil.records.custody``) is
"term ended, release not recorded": custody unknown until a documenter records what happened.

**likely_duplicate** — two live persons (both real or both synthetic, neither with a withheld
name) whose names the names engine scores at or above the operating threshold
(``vigil.names.OPERATING_THRESHOLD``), whose birth dates, when both are known, agree to
the precision they are known (same date, or same year when one is only a year), and whose
roles are compatible: not one recorded only as a perpetrator and the other only as a victim
(a judge and a defendant who share a name are namesakes until a source says otherwise).
Candidates come from the name index's blocking keys, not from comparing every pair.

**needs_review** — a live act with a review note (``Act.review_note``): a value an importer
could not read and kept verbatim.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil.core.chunks import chunked
from vigil.core.errors import Forbidden, NotFound
from vigil.names import OPERATING_THRESHOLD, NameIndex, NameRecord
from vigil.names.evidence import BirthInput, birth_evidence
from vigil.policy.access import role_of
from vigil.policy.auditing import audit
from vigil.records.custody import Custody, custody_by_person
from vigil.records.dates import display_date
from vigil.records.models import (
    Act,
    Counsel,
    Information,
    Involvement,
    Participant,
    Person,
    PersonName,
    Profession,
    Source,
)
from vigil.records.visible import visible

if TYPE_CHECKING:
    from vigil.accounts.types import User

#: Roles that may run the checks (a coordinator's work list; deny by default).
CHECKERS = frozenset({"admin", "coordinator"})

#: Each kind of finding, in the order every surface lists them, with its label.
KINDS: dict[str, Any] = {
    "two_primary_names": gettext_lazy("Persons with two primary names"),
    "two_arrests_one_date": gettext_lazy("Two arrests on one date"),
    "source_about_someone_else": gettext_lazy("Acts citing a source about someone else"),
    "perpetrator_not_screened": gettext_lazy("Perpetrators not screened against a loaded list"),
    "term_ended_no_release": gettext_lazy("Terms ended without a recorded release"),
    "likely_duplicate": gettext_lazy("Likely duplicate persons"),
    "needs_review": gettext_lazy("Values flagged “needs review”"),
}

CHUNK = 900  # ids per IN (...) clause: SQLite's variable limit


@dataclass(frozen=True)
class Finding:
    """One thing a human should look at: its kind, the record's id, what is wrong, a link."""

    kind: str
    record: str
    detail: str
    url: str

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "record": self.record, "detail": self.detail, "url": self.url}


def may_check(user: User) -> bool:
    """Whether ``user`` may read the check list (admins and coordinators)."""
    return role_of(user) in CHECKERS


def check_record(user: User, *, route: str = "check-record") -> list[Finding]:
    """Every finding of every kind about the records ``user`` may view, kind by kind.

    Raises Forbidden (audited) for a user who is not an admin or a coordinator.
    """
    require_checker(user, route)
    seen = RecordView(user)
    return [finding for kind in KINDS if kind in CHECKS for finding in CHECKS[kind](seen)]


def check_kind(user: User, kind: str, *, route: str = "check-record") -> list[Finding]:
    """The findings of one kind (a key of :data:`KINDS`) about the records ``user`` may view."""
    if kind not in KINDS:
        raise NotFound(f"no check named {kind!r}")
    require_checker(user, route)
    check = CHECKS.get(kind)
    return check(RecordView(user)) if check is not None else []


def require_checker(user: User, route: str) -> None:
    """Refuse (Forbidden, audited) a user who is not an admin or a coordinator."""
    if not may_check(user):
        audit("denied", actor=user, action="view", route=route, reason="role")
        raise Forbidden("Only an admin or a coordinator may check the record.")


def by_kind(findings: Iterable[Finding]) -> list[tuple[str, str, list[Finding]]]:
    """Findings grouped as (kind, label, findings) in the order of :data:`KINDS`, all kinds."""
    groups: dict[str, list[Finding]] = {kind: [] for kind in KINDS}
    for finding in findings:
        groups[finding.kind].append(finding)
    return [(kind, str(KINDS[kind]), groups[kind]) for kind in KINDS]


class RecordView:
    """The acting user's view of the record: every queryset through :func:`vigil.records.
    visible.visible`."""

    def __init__(self, user: User) -> None:
        self.user = user

    def __call__(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return visible(self.user, qs)

    def names(self, ids: Iterable[Any]) -> dict[Any, str]:
        """Display names of the visible persons among ``ids``."""
        found: dict[Any, str] = {}
        ordered = list(set(ids))
        for chunk in chunked(ordered, CHUNK):
            found.update(
                self(Person.objects.filter(pk__in=chunk)).values_list(
                    "pk", "display_name"
                )
            )
        return found


def _person_url(pk: Any, anchor: str = "") -> str:
    return reverse("web:person", args=[pk]) + (f"#{anchor}" if anchor else "")


def name_or_withheld(names: dict[Any, str], pk: Any) -> str:
    """The display name of ``pk`` among ``names`` (visible persons), else "(name withheld)"."""
    return names.get(pk) or _("(name withheld)")


# --- the checks ----------------------------------------------------------------------------


def two_primary_names(seen: RecordView) -> list[Finding]:
    """Live persons with more than one live primary name."""
    rows = (
        seen(PersonName.objects.filter(is_primary=True))
        .values("person_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("person_id", flat=True)
    )
    ids = list(rows)
    names = seen.names(ids)
    primaries: dict[Any, list[str]] = defaultdict(list)
    for pid, value in (
        seen(PersonName.objects.filter(is_primary=True, person_id__in=list(names)))
        .order_by("value")
        .values_list("person_id", "value")
    ):
        primaries[pid].append(value)
    return [
        Finding(
            "two_primary_names",
            str(pid),
            _("%(person)s has %(n)d primary names: %(names)s")
            % {"person": names[pid], "n": len(primaries[pid]), "names": "; ".join(primaries[pid])},
            _person_url(pid),
        )
        for pid in sorted(names, key=lambda p: (names[p], str(p)))
    ]


def two_arrests_one_date(seen: RecordView) -> list[Finding]:
    """Persons who are the victim of two or more arrests on the same date."""
    acts = seen(
        Act.objects.filter(act_type__key="arrest", victim_person__isnull=False, date__isnull=False)
    )
    groups = (
        acts.values("victim_person_id", "date", "date_precision")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("victim_person_id", "date")
    )
    rows = list(groups)
    names = seen.names(r["victim_person_id"] for r in rows)
    found = []
    for row in rows:
        pid = row["victim_person_id"]
        if pid not in names:
            continue
        first = (
            acts.filter(
                victim_person_id=pid, date=row["date"], date_precision=row["date_precision"]
            )
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        found.append(
            Finding(
                "two_arrests_one_date",
                str(pid),
                _("%(person)s: %(n)d arrests recorded on %(date)s")
                % {
                    "person": names[pid],
                    "n": row["n"],
                    "date": display_date(row["date"], row["date_precision"]),
                },
                _person_url(pid, f"act-{first}"),
            )
        )
    return found


def _act_persons(seen: RecordView, act_ids: list[Any]) -> dict[Any, set[Any]]:
    """The persons of each act: victim, perpetrators, counsel and participants."""
    persons: dict[Any, set[Any]] = defaultdict(set)
    for chunk in chunked(act_ids, CHUNK):
        for act_id, pid in Act.objects.filter(pk__in=chunk).values_list("pk", "victim_person_id"):
            if pid is not None:
                persons[act_id].add(pid)
        for model, field in (
            (Involvement, "perpetrator_person_id"),
            (Counsel, "lawyer_id"),
            (Participant, "person_id"),
        ):
            for act_id, pid in model.objects.filter(act_id__in=chunk).values_list("act_id", field):
                if pid is not None:
                    persons[act_id].add(pid)
    return persons


def _source_subjects(seen: RecordView, source_ids: set[Any]) -> dict[Any, set[Any]]:
    """For each source, the persons it is cited for directly (person, name or profession)."""
    person_ct = ContentType.objects.get_for_model(Person)
    by_ct: dict[int, Callable[[list[Any]], dict[Any, Any]]] = {
        person_ct.pk: lambda ids: {i: i for i in ids},
    }
    for model in (PersonName, Profession):
        ct = ContentType.objects.get_for_model(model)
        by_ct[ct.pk] = lambda ids, model=model: dict(  # type: ignore[misc]
            model.objects.filter(pk__in=ids).values_list("pk", "person_id")
        )
    subjects: dict[Any, set[Any]] = defaultdict(set)
    ordered = list(source_ids)
    for chunk in chunked(ordered, CHUNK):
        rows = list(
            seen(
                Information.objects.filter(
                    source_id__in=chunk, target_type_id__in=list(by_ct)
                )
            ).values_list("source_id", "target_type_id", "target_id")
        )
        for ct_id, resolve in by_ct.items():
            targets = [t for _s, c, t in rows if c == ct_id]
            owners: dict[Any, Any] = {}
            for chunk in chunked(targets, CHUNK):
                owners.update(resolve(chunk))
            for source_id, c, target in rows:
                if c == ct_id and target in owners:
                    subjects[source_id].add(owners[target])
    # Only persons the user may view: a hidden person is never named, nor counted.
    visible = seen.names({p for persons in subjects.values() for p in persons})
    return {s: persons & visible.keys() for s, persons in subjects.items()}


def source_about_someone_else(seen: RecordView) -> list[Finding]:
    """Acts citing a source that is about other persons only (see the module's definition)."""
    act_ct = ContentType.objects.get_for_model(Act)
    cites = list(
        seen(Information.objects.filter(target_type=act_ct))
        .values_list("target_id", "source_id")
        .distinct()
    )
    if not cites:
        return []
    visible_acts: set[Any] = set()
    act_ids = sorted({a for a, _s in cites}, key=str)
    for chunk in chunked(act_ids, CHUNK):
        visible_acts.update(
            seen(Act.objects.filter(pk__in=chunk)).values_list(
                "pk", flat=True
            )
        )
    cites = [(a, s) for a, s in cites if a in visible_acts]
    subjects = _source_subjects(seen, {s for _a, s in cites})
    act_persons = _act_persons(seen, sorted({a for a, s in cites if subjects.get(s)}, key=str))
    wrong = [
        (a, s)
        for a, s in cites
        if subjects.get(s) and act_persons.get(a) and not (subjects[s] & act_persons[a])
    ]
    if not wrong:
        return []
    titles = dict(
        seen(Source.objects.filter(pk__in={s for _a, s in wrong})).values_list("pk", "title")
    )
    acts = {
        a.pk: a
        for a in Act.objects.filter(pk__in={a for a, _s in wrong}).select_related("act_type")
    }
    names = seen.names(
        {p for _a, s in wrong for p in subjects[s]} | {acts[a].victim_person_id for a, _s in wrong}
    )
    found = []
    for act_id, source_id in sorted(wrong, key=lambda w: (str(w[0]), str(w[1]))):
        act = acts[act_id]
        about = sorted(name_or_withheld(names, p) for p in subjects[source_id])
        victim = act.victim_person_id
        found.append(
            Finding(
                "source_about_someone_else",
                str(act_id),
                _("%(act)s of %(person)s cites “%(source)s”, a source about %(about)s")
                % {
                    "act": act.act_type,
                    "person": name_or_withheld(names, victim)
                    if victim
                    else _("an organisation or group"),
                    "source": titles.get(source_id, _("a source you may not see")),
                    "about": "; ".join(about),
                },
                _person_url(victim, f"act-{act_id}")
                if victim
                else reverse("web:event", args=[act.event_id]),
            )
        )
    return found


def term_ended_no_release(seen: RecordView) -> list[Finding]:
    """Persons whose sentence term has ended with no release recorded (custody unknown)."""
    states = custody_by_person(seen(Act.objects.all()))
    ended = {pid: s for pid, s in states.items() if s.status is Custody.TERM_ENDED}
    names = seen.names(ended)
    return [
        Finding(
            "term_ended_no_release",
            str(pid),
            _("%(person)s: term ended on %(date)s; no release recorded")
            % {
                "person": names[pid],
                "date": display_date(ended[pid].term_ends, "day") if ended[pid].term_ends else "?",
            },
            _person_url(pid),
        )
        for pid in sorted(names, key=lambda p: (names[p], str(p)))
    ]


def birth_input(date: Any, precision: str) -> BirthInput:
    """A birth date as evidence for the names engine, no more precise than it is known."""
    if date is None:
        return None
    if precision == "day":
        return date
    if precision == "month":
        return f"{date.year:04d}-{date.month:02d}"
    return date.year if precision == "year" else None


def births_compatible(a: BirthInput, b: BirthInput) -> bool:
    """Whether two birth dates may be one person's: unknown, or agreeing as far as known."""
    level, _note = birth_evidence(a, b)
    return level in ("", "date", "year")


def likely_duplicates(seen: RecordView) -> list[Finding]:
    """Pairs of persons the names engine matches at the operating threshold (see module doc)."""
    pool: dict[Any, tuple[str, BirthInput, str, bool]] = {}
    for pk, name, birth, precision, sex, synthetic in seen(
        Person.objects.filter(name_withheld=False)
    ).values_list(
        "pk", "display_name", "birth_date", "birth_date_precision", "sex", "is_synthetic"
    ):
        pool[pk] = (name, birth_input(birth, precision), sex, synthetic)
    forms: dict[Any, list[str]] = defaultdict(list)
    for pk, (name, *_rest) in pool.items():
        if name.strip():
            forms[pk].append(name)
    for pk, value in seen(PersonName.objects.all()).values_list("person_id", "value"):
        if pk in pool and value not in forms[pk]:
            forms[pk].append(value)
    victims = set(
        seen(Act.objects.filter(victim_person__isnull=False))
        .values_list("victim_person_id", flat=True)
        .distinct()
    )
    culprits = set(
        seen(Involvement.objects.filter(perpetrator_person__isnull=False))
        .values_list("perpetrator_person_id", flat=True)
        .distinct()
    )

    def side(pk: Any) -> str:
        if pk in victims and pk not in culprits:
            return "victim"
        return "perpetrator" if pk in culprits and pk not in victims else ""

    best: dict[tuple[Any, Any], tuple[float, str]] = {}
    for synthetic in (False, True):
        group = [pk for pk in pool if pool[pk][3] is synthetic and forms.get(pk)]
        if len(group) < 2:
            continue
        index = NameIndex(NameRecord(str(pk), forms[pk], pool[pk][1], pool[pk][2]) for pk in group)
        by_id = {str(pk): pk for pk in group}
        for pk in group:
            _name_text, birth, sex, _synthetic = pool[pk]
            query = forms[pk][0]
            for c in index.search(
                query, birth=birth, gender=sex, limit=5, threshold=OPERATING_THRESHOLD
            ):
                other = by_id[c.entity_id]
                if other == pk or not births_compatible(birth, pool[other][1]):
                    continue
                if {side(pk), side(other)} == {"victim", "perpetrator"}:
                    continue
                key = (pk, other) if str(pk) < str(other) else (other, pk)
                if key not in best or c.score > best[key][0]:
                    best[key] = (c.score, f"{query} ~ {c.form}")
    found = []
    for (a, b), (score, why) in sorted(best.items(), key=lambda kv: (-kv[1][0], str(kv[0]))):
        found.append(
            Finding(
                "likely_duplicate",
                str(a),
                _("%(first)s and %(second)s may be one person (names score %(score).2f: %(why)s)")
                % {"first": pool[a][0], "second": pool[b][0], "score": score, "why": why},
                reverse("merge:compare", args=[a, b]),
            )
        )
    return found


def needs_review(seen: RecordView) -> list[Finding]:
    """Acts an importer flagged: a value kept verbatim that a person must check."""
    rows = list(
        seen(Act.objects.exclude(review_note=""))
        .order_by("victim_person__display_name", "date", "pk")
        .values_list("pk", "victim_person_id", "event_id", "review_note")
    )
    names = seen.names(pid for _a, pid, _e, _n in rows if pid)
    return [
        Finding(
            "needs_review",
            str(act_id),
            (f"{name_or_withheld(names, pid)}: {note}" if pid else note),
            _person_url(pid, f"act-{act_id}") if pid else reverse("web:event", args=[event_id]),
        )
        for act_id, pid, event_id, note in rows
    ]


CHECKS: dict[str, Callable[[RecordView], list[Finding]]] = {
    "two_primary_names": two_primary_names,
    "two_arrests_one_date": two_arrests_one_date,
    "source_about_someone_else": source_about_someone_else,
    "term_ended_no_release": term_ended_no_release,
    "likely_duplicate": likely_duplicates,
    "needs_review": needs_review,
}


def register_check(kind: str, check: Callable[[RecordView], list[Finding]]) -> None:
    """Run ``check`` for ``kind`` (a key of :data:`KINDS`): how an app above the record, such as
    the sanctions lists, adds the check it defines."""
    if kind not in KINDS:
        raise ValueError(f"no check named {kind!r}")
    CHECKS[kind] = check
