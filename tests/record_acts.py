"""One act, in an event of its own unless one is given, and one involvement in an act: what the
tests build acts and perpetrators from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from vigil.records.models import Act, Event, Involvement, Organisation, Person, Term


def act_of(
    victim: Person | None, kind: str, date: dt.date | None, level: str = "internal", **kw: Any
) -> Act:
    """An act of type ``kind`` against ``victim`` on ``date`` at ``level``.

    ``event=`` puts it in an existing event; otherwise a new event holds it, at ``level`` too
    unless ``event_level=`` says otherwise (an act hidden in an event that is not). Other
    keywords are the act's fields (``date_precision`` is ``day`` unless given).
    """
    event = kw.pop("event", None)
    event_level = kw.pop("event_level", level)
    if event is None:
        event = Event.objects.create(
            title=f"Fictional events of {victim}" if victim else "Fictional events",
            date=date,
            confidentiality=event_level,
        )
    kw.setdefault("date_precision", "day")
    return Act.objects.create(
        event=event,
        act_type_id=Term.pk_for("act_type", kind),
        victim_person=victim,
        date=date,
        confidentiality=level,
        **kw,
    )


def involvement_of(
    act: Act, perpetrator: Person | Organisation, role: str, level: str = "internal", **kw: Any
) -> Involvement:
    """``perpetrator`` (a person or an organisation) involved in ``act`` as ``role`` at
    ``level``; other keywords are the involvement's fields."""
    field = "perpetrator_person" if isinstance(perpetrator, Person) else "perpetrator_organisation"
    return Involvement.objects.create(
        act=act,
        role_id=Term.pk_for("perpetrator_role", role),
        confidentiality=level,
        **{field: perpetrator},
        **kw,
    )
