"""Small builders of fictional records for report and open-data tests (names say "Fictional")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType

from vigil.records.models import (
    Act,
    ActCharge,
    Event,
    Information,
    Intervention,
    Involvement,
    LegalProvision,
    Organisation,
    Person,
    Profession,
    Source,
    Term,
)


def _hidden(obj: Any, synthetic: bool) -> Any:
    if synthetic:
        obj.is_synthetic = True
    obj.save()
    return obj


def person(
    name: str, *, synthetic: bool = False, confidentiality: str = "internal", **kw: Any
) -> Person:
    """A fictional person."""
    return _hidden(Person(display_name=name, confidentiality=confidentiality, **kw), synthetic)


def lawyer(name: str, **kw: Any) -> Person:
    """A fictional person with the profession lawyer."""
    found = person(name, **kw)
    Profession(
        person=found,
        profession_id=Term.pk_for("profession", "lawyer"),
        confidentiality=found.confidentiality,
        is_synthetic=found.is_synthetic,
    ).save()
    return found


def court(name: str, *, confidentiality: str = "internal", synthetic: bool = False) -> Organisation:
    """A fictional court."""
    org = Organisation(
        display_name=name,
        kind_id=Term.pk_for("organisation_kind", "court"),
        confidentiality=confidentiality,
    )
    return _hidden(org, synthetic)


def event(title: str = "Fictional prosecution", **kw: Any) -> Event:
    """A fictional event."""
    synthetic = kw.pop("synthetic", False)
    return _hidden(Event(title=title, **kw), synthetic)


def act(
    kind: str,
    victim: Person | Organisation,
    date: dt.date | None,
    *,
    event_: Event | None = None,
    synthetic: bool = False,
    confidentiality: str = "internal",
    precision: str = "day",
    **kw: Any,
) -> Act:
    """An act of ``kind`` against ``victim``."""
    holder = event_ or event(confidentiality=confidentiality, synthetic=synthetic)
    victim_field = "victim_person" if isinstance(victim, Person) else "victim_organisation"
    if "months" in kw:
        kw["sentence_months"] = Decimal(kw.pop("months"))
    return _hidden(
        Act(
            event=holder,
            act_type_id=Term.pk_for("act_type", kind),
            date=date,
            date_precision=precision if date else "unknown",
            confidentiality=confidentiality,
            **{victim_field: victim},
            **kw,
        ),
        synthetic,
    )


def provision(article: str, part: str = "", title: str = "") -> LegalProvision:
    """A provision of the Criminal Code (the law itself: public)."""
    found = LegalProvision.all_objects.filter(code="criminal", article=article, part=part).first()
    if found:
        return found
    made = LegalProvision(code="criminal", article=article, part=part, title=title)
    made.save()
    return made


def charge(on: Act, law: LegalProvision) -> ActCharge:
    """A charge of ``on`` under ``law``."""
    return _hidden(
        ActCharge(act=on, provision=law, confidentiality=on.confidentiality), on.is_synthetic
    )


def judged(on: Act, judge: Person, role: str = "presiding_judge") -> Involvement:
    """``judge`` took part in ``on``."""
    return _hidden(
        Involvement(
            act=on,
            perpetrator_person=judge,
            role_id=Term.pk_for("perpetrator_role", role),
            confidentiality=on.confidentiality,
        ),
        on.is_synthetic,
    )


def source(title: str, **kw: Any) -> Source:
    """A fictional source."""
    synthetic = kw.pop("synthetic", False)
    return _hidden(Source(title=title, **kw), synthetic)


def cite(src: Source, target: Any) -> Information:
    """``src`` supports ``target``."""
    info = Information(
        source=src,
        target_type=ContentType.objects.get_for_model(type(target)),
        target_id=target.pk,
        confidentiality=src.confidentiality,
    )
    return _hidden(info, src.is_synthetic)


def intervention(
    kind: str, response: str | None, *, synthetic: bool = False, **kw: Any
) -> Intervention:
    """An intervention of ``kind`` with the state's ``response`` (None: not recorded)."""
    return _hidden(
        Intervention(
            intervention_type_id=Term.pk_for("intervention_type", kind),
            state_response_id=Term.pk_for("state_response", response) if response else None,
            **kw,
        ),
        synthetic,
    )
