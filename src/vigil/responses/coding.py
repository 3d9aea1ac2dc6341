"""Violation coding: rule-based suggestions an analyst accepts or rejects, and manual coding.

Every suggestion says which facts triggered it and where they come from; a fact found only in
a reader's comment is named as such. Standards are summaries written for Vigil.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vigil.core.context import current_context
from vigil.core.errors import NotFound, ValidationFailed
from vigil.records.custody import DETAINING
from vigil.records.models import (
    Act,
    ActCharge,
    ClaimKind,
    Counsel,
    Information,
    Person,
    Profession,
    Term,
)
from vigil.responses import rules
from vigil.responses.models import CodingStatus, Standard, ViolationCoding
from vigil.responses.standards import SUMMARY_NOTICE, sync_standards

READER_CAUTION = (
    "A reader's comment is not a reliable source: find a second source before relying on "
    "this coding."
)
TRIAL_ACTS = {"trial", "sentence", "appeal_decision", "cassation_decision"}


@dataclass(frozen=True)
class Text:
    """A piece of text about an act and where it comes from."""

    text: str
    origin: str  # "claim" or "description"
    reader_comment: bool = False
    source_title: str = ""

    def cited(self, fact: str) -> str:
        """The fact with its provenance, quoting the text."""
        if self.origin == "description":
            where = "according to the act's description (no source claim linked)"
        elif self.reader_comment:
            where = f"stated only in a reader's comment (source: {self.source_title})"
        else:
            where = f"stated in the source “{self.source_title}”"
        return f"{fact}, {where}: “{_clip(self.text)}”"


@dataclass(frozen=True)
class Suggestion:
    """One standard a rule suggests for an act, with its rationale."""

    act: Act
    standard_id: str
    rule: str
    rationale: str
    reader_comment: bool


def _clip(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _is_term_or_narrower(keys: Iterable[str], vocabulary: str) -> set[str]:
    wanted = set(keys)
    narrower = Term.objects.filter(vocabulary=vocabulary, parent__key__in=wanted)
    return wanted | set(narrower.values_list("key", flat=True))


class _Facts:
    """What the record says about a set of acts, read once."""

    def __init__(self, acts: list[Act]) -> None:
        self.acts = acts
        self.texts: dict[Any, list[Text]] = defaultdict(list)
        ct = ContentType.objects.get_for_model(Act)
        for info in (
            Information.objects.real()
            .filter(target_type=ct, target_id__in=[a.pk for a in acts])
            .select_related("source")
        ):
            if info.quote.strip():
                self.texts[info.target_id].append(
                    Text(
                        info.quote,
                        "claim",
                        info.claim_kind == ClaimKind.READER_COMMENT,
                        info.source.title,
                    )
                )
        for act in acts:
            if act.description.strip():
                self.texts[act.pk].append(Text(act.description, "description"))
        person_ids = {a.victim_person_id for a in acts if a.victim_person_id}
        self.professions: dict[Any, set[str]] = defaultdict(set)
        for pid, key in (
            Profession.objects.real()
            .filter(person_id__in=person_ids)
            .values_list("person_id", "profession__key")
        ):
            self.professions[pid].add(key)
        self.charges: dict[Any, list[ActCharge]] = defaultdict(list)
        for charge in ActCharge.objects.real().filter(act__in=acts).select_related("provision"):
            self.charges[charge.act_id].append(charge)
        self.charge_texts = self._charge_texts()

    def _charge_texts(self) -> dict[Any, list[Text]]:
        ct = ContentType.objects.get_for_model(ActCharge)
        ids = [c.pk for cs in self.charges.values() for c in cs]
        found: dict[Any, list[Text]] = defaultdict(list)
        for info in (
            Information.objects.real()
            .filter(target_type=ct, target_id__in=ids)
            .select_related("source")
        ):
            found[info.target_id].append(
                Text(
                    info.quote,
                    "claim",
                    info.claim_kind == ClaimKind.READER_COMMENT,
                    info.source.title,
                )
            )
        return found


def deprives_of_liberty(act: Act) -> bool:
    """An arrest or detention, or a sentence of imprisonment that is not suspended."""
    kind = act.act_type.key
    if kind in DETAINING:
        return True
    if kind in {"sentence", "appeal_decision", "cassation_decision"}:
        custodial = act.sentence_regime_id or (act.sentence_months and not act.suspended)
        return bool(custodial) and not act.restriction_measure_id
    return False


def _act_phrase(act: Act) -> str:
    label = act.act_type.label_en.lower()
    when = act.date_display
    months = f", {act.sentence_months.normalize():f} months" if act.sentence_months else ""
    return f"{label} ({when}{months})"


def _detention_for_rights(act: Act, facts: _Facts) -> Iterator[Suggestion]:
    table = rules.rule_table()
    if not deprives_of_liberty(act):
        return
    for charge in facts.charges.get(act.pk, []):
        provision = charge.provision
        spec = table.speech_articles.get(provision.article)
        if provision.jurisdiction != "BY" or provision.code != "criminal" or spec is None:
            continue
        claims = facts.charge_texts.get(charge.pk, [])
        reader_only = bool(claims) and all(c.reader_comment for c in claims)
        written = charge.text_as_written or provision.title
        basis = f"{provision}" + (f" (as written: “{_clip(written, 160)}”)" if written else "")
        right = rules.RIGHT_NAMES[spec.right]
        provenance = " The charge is stated only in a reader's comment." if reader_only else ""
        for standard_id in (*table.standards("detention_for_rights"), *table.rights[spec.right]):
            what = (
                "a deprivation of liberty resulting from the exercise of rights (WGAD category II)"
                if standard_id.startswith("wgad:")
                else f"a violation of {right}"
            )
            yield Suggestion(
                act,
                standard_id,
                "detention_for_rights",
                f"{_act_phrase(act).capitalize()} on a charge under {basis}, an article "
                f"({spec.title}, editorial title) used to punish the exercise of {right}. "
                f"Suggests {what}; check that the conduct charged was peaceful."
                f"{provenance}",
                reader_only,
            )


def _unfair_trial(act: Act, facts: _Facts) -> Iterator[Suggestion]:
    if act.act_type.key not in TRIAL_ACTS:
        return
    spec = rules.rule_table().rules["unfair_trial"]
    texts = facts.texts.get(act.pk, [])
    # Claims of a source come before the act's own description.
    duration = next(
        (
            (t, m)
            for t in texts
            if (m := rules.trial_minutes(t.text)) is not None and m <= spec["max_minutes"]
        ),
        None,
    )
    motions = next((t for t in texts if rules.every_motion_refused(t.text)), None)
    if duration is None or motions is None:
        return
    text, minutes = duration
    reader = text.reader_comment or motions.reader_comment
    for standard_id in spec["standards"]:
        what = (
            "non-observance of fair-trial norms grave enough to make the detention arbitrary "
            "(WGAD category III)"
            if standard_id.startswith("wgad:")
            else "a violation of the right to a fair hearing"
        )
        yield Suggestion(
            act,
            standard_id,
            "unfair_trial",
            f"{text.cited(f'The trial lasted {minutes} minutes')}. "
            f"{motions.cited('Every defence motion was refused')}. "
            f"A trial under an hour with every motion refused suggests {what}.",
            reader,
        )


def _lawyer_sanctioned(act: Act, facts: _Facts) -> Iterator[Suggestion]:
    spec = rules.rule_table().rules["lawyer_sanctioned"]
    if act.act_type.key not in spec["act_types"] or act.victim_person_id is None:
        return
    lawyers = _is_term_or_narrower(spec["professions"], "profession")
    if not facts.professions.get(act.victim_person_id, set()) & lawyers:
        return
    defended = Counsel.objects.real().filter(lawyer_id=act.victim_person_id)
    if act.date:
        defended = defended.filter(act__date__lte=act.date)
    clients = sorted(
        {str(c.act.victim) for c in defended.select_related("act__victim_person") if c.act.victim}
    )
    if clients:
        ground = (
            f"The record shows them as defence counsel before this ({len(clients)} client(s), "
            f"e.g. {clients[0]}); check that the measure answers that defence work."
        )
    else:
        ground = (
            "No defence work by them is recorded: confirm that the measure answers their "
            "work for a client before accepting."
        )
    for standard_id in spec["standards"]:
        yield Suggestion(
            act,
            standard_id,
            "lawyer_sanctioned",
            f"A lawyer was subjected to {_act_phrase(act)}. {ground} Lawyers may not be "
            "sanctioned for acting in accordance with their professional duties, nor "
            "identified with their clients' causes.",
            False,
        )


def _defender_detained(act: Act, facts: _Facts) -> Iterator[Suggestion]:
    spec = rules.rule_table().rules["defender_detained"]
    if act.victim_person_id is None or not deprives_of_liberty(act):
        return
    defenders = _is_term_or_narrower(spec["professions"], "profession")
    if not facts.professions.get(act.victim_person_id, set()) & defenders:
        return
    texts = facts.texts.get(act.pk, [])
    why = next((t for t in texts if rules.says_for_human_rights_work(t.text)), None)
    if why is not None:
        ground = why.cited("The measure is tied to their human rights work") + "."
    else:
        ground = (
            "No source recorded for this act says it punishes their human rights work: "
            "establish that before accepting."
        )
    reader = why is not None and why.reader_comment
    for standard_id in spec["standards"]:
        if standard_id == "wgad:V":
            extra = (
                " Category V needs discrimination (e.g. on grounds of political or other "
                "opinion, or status as a defender): accept only if the record shows it."
            )
        else:
            extra = ""
        yield Suggestion(
            act,
            standard_id,
            "defender_detained",
            f"A person recorded as a human rights defender was subjected to "
            f"{_act_phrase(act)}. {ground}{extra}",
            reader,
        )


RULES = (_detention_for_rights, _unfair_trial, _lawyer_sanctioned, _defender_detained)


def suggestions_for(acts: Iterable[Act]) -> list[Suggestion]:
    """What the rules suggest for ``acts`` (nothing is written)."""
    acts = list(acts)
    facts = _Facts(acts)
    return [s for act in acts for rule in RULES for s in rule(act, facts)]


def _candidate_acts(person: Person | None) -> list[Act]:
    qs = Act.objects.real().filter(victim_person__isnull=False, victim_person__is_synthetic=False)
    if person is not None:
        qs = qs.filter(victim_person=person)
    return list(
        qs.select_related("act_type", "victim_person").filter(
            victim_person__deleted_at__isnull=True
        )
    )


@dataclass
class SuggestReport:
    created: list[ViolationCoding]
    already_coded: int


@transaction.atomic
def suggest(person: Person | None = None, acts: Iterable[Act] | None = None) -> SuggestReport:
    """Create suggested codings; an act already coded against a standard is left alone."""
    sync_standards()
    chosen = list(acts) if acts is not None else _candidate_acts(person)
    existing = set(
        ViolationCoding.all_objects.filter(act__in=chosen).values_list("act_id", "standard_id")
    )
    created, skipped = [], 0
    for s in suggestions_for(chosen):
        if (s.act.pk, s.standard_id) in existing:
            skipped += 1
            continue
        coding = ViolationCoding(
            act=s.act,
            standard_id=s.standard_id,
            rule=s.rule,
            rationale=" ".join(
                part
                for part in (
                    s.rationale,
                    READER_CAUTION if s.reader_comment else "",
                    f"(Standards are a {SUMMARY_NOTICE}.)",
                )
                if part
            ),
            rests_on_reader_comment=s.reader_comment,
        )
        coding.save()
        existing.add((s.act.pk, s.standard_id))
        created.append(coding)
    return SuggestReport(created, skipped)


def _coding(coding_id: Any) -> ViolationCoding:
    try:
        return ViolationCoding.objects.select_related("standard", "act").get(pk=coding_id)
    except (ViolationCoding.DoesNotExist, ValueError, ValidationError):
        raise NotFound(f"no violation coding with id {coding_id}") from None


@transaction.atomic
def decide(coding_id: Any, decision: str, note: str = "") -> ViolationCoding:
    """Accept or reject a coding; the change is kept in its history."""
    if decision not in (CodingStatus.ACCEPTED, CodingStatus.REJECTED):
        raise ValidationFailed(f"decision must be accepted or rejected, not {decision!r}")
    coding = _coding(coding_id)
    ctx = current_context()
    coding.status = decision
    coding.decided_by_id = ctx.actor_id
    coding.decided_at = timezone.now()
    coding.decision_note = note.strip()
    coding.save()
    return coding


@transaction.atomic
def code_act(act: Act, standard_id: str, rationale: str) -> ViolationCoding:
    """Code an act by hand (accepted at once, the coder named)."""
    if not rationale.strip():
        raise ValidationFailed("A coding needs a rationale.")
    sync_standards()
    if not Standard.objects.filter(pk=standard_id).exists():
        raise ValidationFailed(f"unknown standard {standard_id!r}")
    ctx = current_context()
    coding = ViolationCoding(
        act=act,
        standard_id=standard_id,
        rationale=rationale.strip(),
        status=CodingStatus.ACCEPTED,
        coded_by_id=ctx.actor_id,
        decided_by_id=ctx.actor_id,
        decided_at=timezone.now(),
    )
    coding.save()
    return coding
