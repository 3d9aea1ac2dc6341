"""Interventions about a person, as sourced sentences."""

from __future__ import annotations

from vigil.outputs.citing import Citations
from vigil.outputs.document import Run
from vigil.outputs.facts import Infos
from vigil.outputs.phrases import sourced
from vigil.records.dates import display_date, format_day
from vigil.records.models import Intervention

DOCUMENT_LANGUAGE = "en"  # the drafts go to UN mechanisms in English


def intervention_runs(item: Intervention, infos: Infos, cites: Citations) -> list[Run]:
    """ "Type by party (date), reference, status, state's response, outcome, follow-up due"."""
    when = display_date(item.date, item.date_precision, item.date_end) if item.date else ""
    head = item.intervention_type.label_en
    if item.party is not None and not item.party.is_synthetic:
        head += f" by {item.party}"
    elif item.description:
        head += f" (party as described: {item.description.splitlines()[0]})"
    if when:
        head += f" ({when})"
    details = [
        item.title,
        f"reference {item.reference}" if item.reference else "",
        f"status: {item.status.label_en}" if item.status else "",
        _response(item),
        f"outcome: {item.outcome}" if item.outcome else "",
        f"follow-up due {format_day(item.follow_up_due, DOCUMENT_LANGUAGE)}"
        if item.follow_up_due
        else "",
    ]
    text = "; ".join([head, *[d for d in details if d]])
    return [sourced(text, infos, cites)]


def _response(item: Intervention) -> str:
    if item.state_response is None:
        return ""
    text = f"state's response: {item.state_response.label_en}"
    if item.state_response_date:
        text += f" ({format_day(item.state_response_date, DOCUMENT_LANGUAGE)})"
    return text
