"""One act, in an event of its own unless one is given: what the records tests build from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from vigil.records.models import Act, Event, Person, Term


def act_of(victim: Person, kind: str, date: dt.date, level: str = "internal", **kw: Any) -> Act:
    """An act of type ``kind`` against ``victim`` on ``date`` at ``level`` (``event=`` to put it
    in an existing event; other keywords are the act's fields)."""
    event = kw.pop("event", None) or Event.objects.create(
        title=f"Fictional events of {victim}", date=date, confidentiality=level
    )
    return Act.objects.create(
        event=event,
        act_type_id=Term.pk_for("act_type", kind),
        victim_person=victim,
        date=date,
        date_precision="day",
        confidentiality=level,
        **kw,
    )
