"""How old the facts of a draft are: an urgent appeal built from old facts says so at the top."""

from __future__ import annotations

import datetime as dt

from vigil.outputs.facts import CaseFacts

# Older than this, an urgent appeal warns that the person's present situation must be checked.
STALE_AFTER = dt.timedelta(days=365)


def latest_fact(facts: CaseFacts) -> dt.date | None:
    """The date of the most recent dated act in ``facts`` (an act's end date when later)."""
    dates = [d for a in facts.acts for d in (a.act.date, a.act.date_end) if d is not None]
    return max(dates) if dates else None


def freshness_note(facts: CaseFacts, kind: str, today: dt.date | None = None) -> str:
    """The note opening a draft of ``kind`` ("appeal"): its most recent fact, and a warning
    when that fact is older than :data:`STALE_AFTER`."""
    today = today or dt.date.today()
    latest = latest_fact(facts)
    if latest is None:
        return (
            f"No fact in this {kind} is dated: confirm the person's present situation before "
            "sending."
        )
    note = f"The most recent fact in this {kind} is from {latest.isoformat()}."
    age = today - latest
    if age > STALE_AFTER:
        years = age.days // 365
        span = f"{years} year{'s' if years != 1 else ''}"
        note += (
            f" That is {span} before this draft: an urgent appeal concerns a present risk, so "
            "confirm the person's situation today and add what is current before sending."
        )
    return note
