"""Sentences about acts, charges, sentences and perpetrators, each run carrying its footnotes."""

from __future__ import annotations

from vigil.outputs.citing import Citations, only_reader_comments
from vigil.outputs.document import Run
from vigil.outputs.facts import ActFacts, Infos
from vigil.records.dates import display_date
from vigil.records.models import ActCharge, Involvement
from vigil.records.places import court_not_named, is_court, is_place_of_detention
from vigil.records.quantities import amount, term_length

READER_ONLY = " (reported only in a reader's comment)"


def sourced(text: str, infos: Infos, cites: Citations) -> Run:
    """A run stating ``text`` with its footnotes, flagged when only a reader's comment says it."""
    flag = READER_ONLY if only_reader_comments(infos) else ""
    return Run(text + flag, cites.cite(infos))


def act_date(facts: ActFacts) -> str:
    """The act's date at its precision, or "date not recorded"."""
    act = facts.act
    if act.date is None and act.date_end is None:
        return "date not recorded"
    return display_date(act.date, act.date_precision, act.date_end)


def act_label(facts: ActFacts) -> str:
    return facts.act.act_type.label_en


def place_text(facts: ActFacts) -> str:
    """The place as recorded: the organisation (court, prison) or the place as stated."""
    act = facts.act
    if act.place is not None and not act.place.is_synthetic:
        return act.place.display_name
    return act.place_text


def charge_text(charge: ActCharge) -> str:
    """A charge as "Part 2 of Art. 243 CC — title as written", with its inchoate modifier."""
    provision = charge.provision
    text = str(provision)
    if charge.inchoate:
        text += f" ({charge.get_inchoate_display()})"
    title = provision.title or _title_from(charge.text_as_written)
    return f"{text} — {title}" if title else text


def _title_from(written: str) -> str:
    """The title part of a citation as written ("… — Participation in riots")."""
    for dash in ("—", "–"):
        if dash in written:
            return written.split(dash, 1)[1].strip()
    return ""


def sentence_text(facts: ActFacts) -> str:
    """The sentence as recorded: term, regime, restriction, suspension, fine."""
    act = facts.act
    parts = []
    if act.sentence_months is not None:
        parts.append(term_length(act.sentence_months))
    if act.sentence_regime is not None:
        parts.append(act.sentence_regime.label_en)
    if act.restriction_measure is not None:
        parts.append(act.restriction_measure.label_en)
    if act.suspended:
        parts.append("suspended")
    if act.fine_amount is not None:
        parts.append(f"fine {amount(act.fine_amount)} {act.fine_unit}".strip())
    if not parts and act.sentence_text:
        parts.append(act.sentence_text)
    text = ", ".join(parts)
    if act.sentence_text and parts and act.sentence_text not in text:
        text += f" (as stated by the source: “{act.sentence_text}”)"
    return text


def perpetrator_name(inv: Involvement) -> str:
    party = inv.perpetrator_person or inv.perpetrator_organisation
    if inv.perpetrator_person is not None and inv.perpetrator_person.name_withheld:
        return "a person whose name the source withholds"
    return str(party)


def perpetrators_text(facts: ActFacts) -> str:
    """ "Name (role), Name (role)" for the act's perpetrators."""
    return ", ".join(
        f"{perpetrator_name(i)} ({i.role.label_en.lower()})" for i in facts.perpetrators
    )


def act_summary(facts: ActFacts) -> str:
    """One sentence: date, type, place, sentence, outcome, perpetrators, description."""
    act = facts.act
    pieces = [f"{act_date(facts)}: {act_label(facts)}"]
    if place := place_text(facts):
        if is_place_of_detention(act.place):
            label = "place of detention stated by the source"
        elif is_court(act.place):
            label = "court"
        else:
            label = "place"
        pieces.append(f"{label}: {place}")
    if court_not_named(act):
        pieces.append("court not named in the source")
    if facts.kind in {"sentence", "appeal_decision", "cassation_decision"}:
        if sentence := sentence_text(facts):
            pieces.append(f"sentence: {sentence}")
    if act.outcome:
        pieces.append(f"outcome: {act.outcome}")
    if facts.perpetrators:
        pieces.append(f"by {perpetrators_text(facts)}")
    line = "; ".join(pieces) + "."
    if act.description:
        line += " " + " ".join(act.description.split())
    return line


def act_ref(facts: ActFacts) -> str:
    """A short reference to an act: "sentence, 6 September 2022"."""
    return f"{act_label(facts).lower()}, {act_date(facts)}"
