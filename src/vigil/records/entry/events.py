"""An arrest or a trial in one call: event, acts, charges, perpetrators, counsel, sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from vigil.policy.access import save_checked
from vigil.records.citations import CitationError, parse_citation
from vigil.records.entry.arrests import plan_arrest
from vigil.records.entry.inputs import (
    MAX_SENTENCE_MONTHS,
    ArrestInput,
    EntryError,
    PersonRef,
    Recorded,
    SentenceInput,
    SourceInput,
    TrialInput,
)
from vigil.records.entry.persons import _organisation, _person, _victim
from vigil.records.entry.writing import _check_level, _date_fields, _required_date, _term, _Writer
from vigil.records.models import (
    Act,
    ActCharge,
    ActStatus,
    ClaimKind,
    Counsel,
    DatePrecision,
    Event,
    EventLink,
    Information,
    Involvement,
    LegalProvision,
    Organisation,
    Person,
    Source,
    Term,
)

if TYPE_CHECKING:
    from vigil.accounts.types import User


def _provision(charge: Any) -> LegalProvision:
    p = charge.provision
    found = LegalProvision.objects.filter(
        jurisdiction="BY", code=p.code, article=p.article, part=p.part or "", point=p.point or ""
    ).first()
    if found is not None:
        return found
    # A parsed "title" of one word is usually a code's abbreviation ("CC"), not the title.
    title = p.title if p.title and " " in p.title.strip() else ""
    return LegalProvision(
        code=str(p.code), article=p.article, part=p.part or "", point=p.point or "", title=title
    )


def _charges(writer: _Writer, act: Act, texts: list[str]) -> None:
    for text in texts:
        text = text.strip()
        if not text:
            continue
        try:
            charges = parse_citation(text)
        except CitationError as error:
            raise EntryError("charges", error.message) from None
        for charge in charges:
            provision = _provision(charge)
            if provision._state.adding:
                save_checked(writer.user, "add", provision)
            writer.add(
                ActCharge(
                    act=act,
                    provision=provision,
                    inchoate=charge.inchoate or "",
                    text_as_written=text,
                )
            )


def _involve(writer: _Writer, act: Act, who: Person | Organisation | None, role: str) -> None:
    if who is None:
        return
    inv = Involvement(act=act, role_id=role)
    if isinstance(who, Person):
        inv.perpetrator_person = who
    else:
        inv.perpetrator_organisation = who
    writer.add(inv)


def _sources(writer: _Writer, inputs: list[SourceInput]) -> list[tuple[Source, SourceInput]]:
    found: list[tuple[Source, SourceInput]] = []
    for i, s in enumerate(inputs):
        prefix = f"sources-{i}"
        if s.source_id is not None:
            found.append((writer.visible(Source, s.source_id, prefix, _("source")), s))
            continue
        if not s.title.strip():
            if s.url.strip() or s.quote.strip() or s.publisher.strip():
                raise EntryError(f"{prefix}-title", _("Give the title of the source."))
            continue
        if s.claim_kind not in ClaimKind.values:
            raise EntryError(f"{prefix}-claim_kind", _("Choose a value from the list."))
        source = Source(
            title=" ".join(s.title.split())[:500],
            url=s.url.strip()[:500],
            publisher=s.publisher.strip()[:300],
            source_type_id=_term(f"{prefix}-source_type", "source_type", s.source_type),
            reliability_id=_term(f"{prefix}-reliability", "source_reliability", s.reliability),
            **_date_fields(s.date),
        )
        if s.date is None:
            source.date_precision = DatePrecision.UNKNOWN
        found.append((writer.add(source), s))
    return found


def _cite(writer: _Writer, sources: list[tuple[Source, SourceInput]], targets: list[Any]) -> None:
    for source, s in sources:
        for target in targets:
            writer.add(
                Information(
                    source=source,
                    target_type=ContentType.objects.get_for_model(type(target)),
                    target_id=target.pk,
                    quote=s.quote.strip(),
                    claim_kind=s.claim_kind,
                    reliability_id=source.reliability_id,
                )
            )


def _act(writer: _Writer, event: Event, kind: str, victim: Person, **fields: Any) -> Act:
    return writer.add(
        Act(
            event=event,
            act_type_id=Term.pk_for("act_type", kind),
            victim_person=victim,
            known_since=writer.known_since,
            **fields,
        )
    )


def _counsel(writer: _Writer, act: Act, refs: list[PersonRef]) -> None:
    for i, ref in enumerate(refs):
        lawyer = _person(writer, ref, f"counsel-{i}")
        if lawyer is not None:
            writer.add(Counsel(act=act, lawyer=lawyer))


# --- arrest and trial -----------------------------------------------------------------------
def record_arrest(user: User, data: ArrestInput) -> Recorded:
    """Record an arrest: event, arrest act, detention, charges, perpetrators, counsel, sources."""
    _check_level(user, data.confidentiality)
    when = _required_date(data.date, "date")
    officer_role = _term("officer_role", "perpetrator_role", data.officer_role, required=True)
    with transaction.atomic():
        writer = _Writer(user, data.confidentiality, data.known_since)
        victim = _victim(writer, data.victim)
        sources = _sources(writer, data.sources)
        title = data.title.strip() or _("Arrest of %(name)s") % {"name": victim}
        event = writer.add(
            Event(
                title=title[:300],
                description=data.description.strip(),
                place=data.place.strip()[:200],
                **_date_fields(when),
            )
        )
        arrest = _act(
            writer,
            event,
            "arrest",
            victim,
            place_text=data.place.strip()[:300],
            **_date_fields(when),
        )
        acts = [arrest]
        _involve(
            writer,
            arrest,
            _organisation(writer, data.agency, "agency", "other"),
            Term.pk_for("perpetrator_role", "responsible_agency"),
        )
        _involve(writer, arrest, _person(writer, data.officer, "officer"), str(officer_role))
        if data.detained:
            place = _organisation(writer, data.detention_place, "detention_place", "prison")
            acts.append(
                _act(
                    writer,
                    event,
                    "detention",
                    victim,
                    place=place,
                    status=ActStatus.ONGOING,
                    **_date_fields(when),
                )
            )
        if any(c.strip() for c in data.charges):
            charge = _act(writer, event, "charge", victim, **_date_fields(when))
            _charges(writer, charge, data.charges)
            acts.append(charge)
        _counsel(writer, arrest, data.counsel)
        _cite(writer, sources, [event, *acts])
        return Recorded(event, victim, acts, writer.created)


def _check_sentence(s: SentenceInput) -> None:
    if s.months is not None and not (0 <= s.months <= MAX_SENTENCE_MONTHS):
        raise EntryError("sentence_months", _("A term is between 0 and 1200 months."))
    if s.fine_amount is not None and s.fine_amount < 0:
        raise EntryError("fine_amount", _("A fine cannot be negative."))


def _has_sentence(s: SentenceInput | None) -> bool:
    return s is not None and bool(
        s.months is not None or s.regime or s.suspended or s.fine_amount is not None or s.text
    )


def record_trial(user: User, data: TrialInput) -> Recorded:
    """Record a trial: event, (arrest,) trial and sentence acts, court, judge, prosecutor,
    charges, counsel and sources."""
    _check_level(user, data.confidentiality)
    when = _required_date(data.date, "date")
    judge_role = _term("judge_role", "perpetrator_role", data.judge_role, required=True)
    sentence = data.sentence if _has_sentence(data.sentence) else None
    regime = None
    if sentence is not None:
        _check_sentence(sentence)
        regime = _term("sentence_regime", "detention_regime", sentence.regime)
    with transaction.atomic():
        writer = _Writer(user, data.confidentiality, data.known_since)
        victim = _victim(writer, data.victim)
        sources = _sources(writer, data.sources)
        court = _organisation(writer, data.court, "court", "court")
        judge = _person(writer, data.judge, "judge")
        prosecutor = _person(writer, data.prosecutor, "prosecutor")
        title = data.title.strip() or _("Trial of %(name)s") % {"name": victim}
        new_victim = victim in writer.created
        arrest = plan_arrest(user, victim, data, new_victim=new_victim)
        first = arrest.add or when
        event = writer.add(
            Event(title=title[:300], description=data.description.strip(), **_date_fields(first))
        )
        acts: list[Act] = []
        if arrest.add is not None:
            acts.append(_act(writer, event, "arrest", victim, **_date_fields(arrest.add)))
        if arrest.reuse is not None and arrest.reuse.event_id != event.pk:
            # The trial follows the recorded arrest: the chain of events says so.
            writer.add(
                EventLink(
                    from_event=event,
                    to_event_id=arrest.reuse.event_id,
                    relation_id=Term.pk_for("chain_relation", "follows"),
                )
            )
        trial = _act(
            writer,
            event,
            "trial",
            victim,
            place=court,
            status=ActStatus.ENDED,
            **_date_fields(when),
        )
        acts.append(trial)
        _involve(writer, trial, judge, str(judge_role))
        _involve(writer, trial, prosecutor, Term.pk_for("perpetrator_role", "prosecutor"))
        _counsel(writer, trial, data.counsel)
        convicted = trial
        if sentence is not None:
            convicted = _act(
                writer, event, "sentence", victim, place=court,
                sentence_months=sentence.months, sentence_regime_id=regime,
                suspended=sentence.suspended, fine_amount=sentence.fine_amount,
                fine_unit=sentence.fine_unit.strip()[:40],
                sentence_text=sentence.text.strip()[:300],
                **_date_fields(sentence.date or when),
            )  # fmt: skip
            acts.append(convicted)
            _involve(writer, convicted, judge, str(judge_role))
        _charges(writer, convicted, data.charges)
        _cite(writer, sources, [event, *acts])
        reused = [arrest.reuse] if arrest.reuse is not None else []
        return Recorded(event, victim, acts, writer.created, reused)
