"""One saved instance of every record model the policy governs (fictional data only)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType

from vigil.records.models import (
    Act,
    ActCharge,
    Case,
    Counsel,
    Event,
    EventLink,
    Evidence,
    ExternalId,
    Information,
    Intervention,
    Involvement,
    Organisation,
    OrganisationName,
    Participant,
    Person,
    PersonMerge,
    PersonName,
    Profession,
    Source,
    Statistic,
    Term,
)
from vigil.records.models.legal import LegalProvision


def protection_case(level: str = "restricted") -> Any:
    """A protection case (never below restricted), its beneficiary fictional."""
    from vigil.protection.models import ProtectionCase

    return saved(ProtectionCase(beneficiary_name="Fictional Beneficiarevich"), level)


def defence_fund(level: str = "internal") -> Any:
    from vigil.protection.models import DefenceFund

    return saved(DefenceFund(name="Fictional Defence Fund"), level)


def fund_grant(level: str) -> Any:
    import datetime as dt
    from decimal import Decimal

    from vigil.protection.models import FundGrant

    grant = FundGrant(
        fund=defence_fund(),
        case=protection_case(),
        amount=Decimal("100"),
        currency="EUR",
        date=dt.date(2026, 1, 1),
        purpose="legal_fees",
    )
    return saved(grant, level)


def protection_action(level: str) -> Any:
    from vigil.protection.models import ProtectionAction

    return saved(ProtectionAction(case=protection_case(), kind="legal_aid"), level)


def term(vocabulary: str, key: str) -> str:
    """The id of a vocabulary term, created when the vocabularies are not loaded."""
    obj, _ = Term.objects.get_or_create(
        id=Term.pk_for(vocabulary, key),
        defaults={"vocabulary": vocabulary, "key": key, "code": f"vigil:{key}", "label_en": key},
    )
    return obj.pk


def saved(obj: Any, level: str = "internal") -> Any:
    """Save ``obj`` at confidentiality ``level``."""
    obj.confidentiality = level
    obj.save()
    return obj


def person(level: str = "internal", name: str = "Fictional Ales Examplevich") -> Person:
    return saved(Person(display_name=name), level)


def event(level: str = "internal") -> Event:
    return saved(Event(title="Fictional search of an office"), level)


def organisation(level: str = "internal") -> Organisation:
    return saved(Organisation(display_name="Fictional Sample Bar Association"), level)


def act(level: str = "internal", **links: Any) -> Act:
    links.setdefault("event", event())
    return saved(Act(act_type_id=term("act_type", "arrest"), **links), level)


def source(level: str = "internal", **fields: Any) -> Source:
    return saved(Source(title="Fictional testimony", **fields), level)


def provision() -> LegalProvision:
    obj = LegalProvision(code="criminal", article=str(uuid.uuid4().int % 10000), part="2")
    obj.save()
    return obj


def intervention(level: str = "internal") -> Intervention:
    return saved(Intervention(intervention_type_id=term("intervention_type", "appeal")), level)


def screening_match(level: str) -> Any:
    from django.utils import timezone

    from vigil.sanctions.models import ListedEntity, SanctionsList, ScreeningMatch

    lst, _ = SanctionsList.objects.get_or_create(
        name="fictional-list",
        defaults={"kind": "ftm", "issuer": "EU", "imported_at": timezone.now()},
    )
    entity = ListedEntity.objects.create(
        sanctions_list=lst,
        entity_id=uuid.uuid4().hex,
        schema="Person",
        caption="Fictional Examplevich",
        fingerprint="x",
    )
    return saved(
        ScreeningMatch(
            person=person(),
            listed_entity=entity,
            score=0.9,
            query_name="Fictional",
            matched_name="Fictional Examplevich",
            explanation="fictional",
        ),
        level,
    )


def violation_coding(level: str) -> Any:
    from vigil.responses.models import Standard, ViolationCoding

    standard = Standard.objects.first() or Standard.objects.create(
        id="fictional-standard",
        instrument="iccpr",
        instrument_title="Fictional",
        article="19",
        label="Fictional summary",
    )
    return saved(ViolationCoding(act=act(), standard=standard, rationale="fictional"), level)


def forum_position(level: str) -> Any:
    from vigil.responses.models import ForumPosition

    return saved(ForumPosition(forum="hrc", state=organisation(), position="statement"), level)


def beneficiary(level: str) -> Any:
    from vigil.responses.models import InterventionBeneficiary

    return saved(
        InterventionBeneficiary(intervention=intervention(), person=person(), kind="grant"), level
    )


def state_response(level: str) -> Any:
    from vigil.responses.models import StateResponse

    return saved(
        StateResponse(
            intervention=intervention(),
            summary="fictional reply",
            response_id=term("state_response", "none"),
        ),
        level,
    )


def follow_up(level: str) -> Any:
    import datetime as dt

    from vigil.responses.models import FollowUp

    return saved(
        FollowUp(intervention=intervention(), due=dt.date(2030, 1, 1), action="fictional"), level
    )


def _observer() -> Any:
    from vigil.accounts.models import User

    found, _ = User.objects.get_or_create(
        username="fictional-observer", defaults={"role": "analyst"}
    )
    return found


def hearing(level: str) -> Any:
    import datetime as dt

    from vigil.solidarity.models import Hearing

    case = saved(Case(title="Fictional Examplevich trial"))
    return saved(Hearing(case=case, date=dt.date(2030, 1, 1), court_text="fictional"), level)


def observer_assignment(level: str) -> Any:
    from vigil.solidarity.models import ObserverAssignment

    return saved(ObserverAssignment(hearing=hearing("internal"), observer=_observer()), level)


def observation_report(level: str) -> Any:
    from vigil.solidarity.models import ObservationReport

    return saved(
        ObservationReport(hearing=hearing("internal"), observer=_observer(), notes="fictional"),
        level,
    )


def statement(level: str) -> Any:
    from vigil.solidarity.models import Statement

    return saved(Statement(title="Fictional letter", author_text="Fictional Bar"), level)


def signatory(level: str) -> Any:
    from vigil.solidarity.models import Signatory

    return saved(Signatory(statement=statement("internal"), name_text="Fictional Bar"), level)


FACTORIES: dict[str, Callable[[str], Any]] = {
    "solidarity.hearing": hearing,
    "solidarity.observerassignment": observer_assignment,
    "solidarity.observationreport": observation_report,
    "solidarity.statement": statement,
    "solidarity.signatory": signatory,
    "sanctions.screeningmatch": screening_match,
    "responses.violationcoding": violation_coding,
    "responses.forumposition": forum_position,
    "responses.interventionbeneficiary": beneficiary,
    "responses.stateresponse": state_response,
    "responses.followup": follow_up,
    "records.case": lambda lv: saved(Case(title="Fictional Examplevich case"), lv),
    "records.person": person,
    "records.personname": lambda lv: saved(
        PersonName(person=person(), value="Fictional Examplevich"), lv
    ),
    "records.profession": lambda lv: saved(
        Profession(person=person(), profession_id=term("profession", "lawyer")), lv
    ),
    "records.externalid": lambda lv: saved(
        ExternalId(person=person(), scheme="example", value="fictional-1"), lv
    ),
    "records.organisation": organisation,
    "records.organisationname": lambda lv: saved(
        OrganisationName(organisation=organisation(), value="Fictional Sample Bar"), lv
    ),
    "records.event": event,
    "records.eventlink": lambda lv: saved(
        EventLink(from_event=event(), to_event=event(), relation_id=term("chain_relation", "x")),
        lv,
    ),
    "records.act": act,
    "records.actcharge": lambda lv: saved(ActCharge(act=act(), provision=provision()), lv),
    "records.involvement": lambda lv: saved(
        Involvement(
            act=act(), perpetrator_person=person(), role_id=term("perpetrator_role", "judge")
        ),
        lv,
    ),
    "records.counsel": lambda lv: saved(Counsel(act=act(), lawyer=person()), lv),
    "records.participant": lambda lv: saved(
        Participant(act=act(), name_text="Fictional Samplenka"), lv
    ),
    "records.source": source,
    "records.evidence": lambda lv: saved(
        Evidence(
            source=source(),
            original_name="fictional.pdf",
            stored_name=uuid.uuid4().hex,
            sha256="0" * 64,
            size=1,
        ),
        lv,
    ),
    "records.information": lambda lv: saved(
        Information(
            source=source(),
            target_type=ContentType.objects.get_for_model(Person),
            target_id=person().pk,
        ),
        lv,
    ),
    "records.intervention": lambda lv: saved(
        Intervention(intervention_type_id=term("intervention_type", "appeal")), lv
    ),
    "records.statistic": lambda lv: saved(Statistic(subject="fictional count", value=7), lv),
    "protection.protectioncase": protection_case,
    "protection.protectionaction": protection_action,
    "protection.defencefund": defence_fund,
    "protection.fundgrant": fund_grant,
    "records.personmerge": lambda lv: saved(
        PersonMerge(keep=person(), duplicate=person(), reason="fictional duplicate"), lv
    ),
    "counting.storedestimate": lambda lv: saved(stored_estimate("Fictional estimate"), lv),
    "counting.personlist": lambda lv: saved(person_list("Fictional partner list"), lv),
    "counting.linkrun": lambda lv: link_run(lv),
}


def person_list(name: str) -> Any:
    """An unsaved stored list (no rows) of a fictional partner."""
    import datetime as dt

    from vigil.counting.models import PersonList

    return PersonList(name=name, as_of=dt.date(2026, 11, 1), row_count=0)


def link_run(level: str) -> Any:
    """A link run between two fictional (empty) stored lists at ``level``."""
    from vigil.counting.models import LinkRun

    lists = [saved(person_list(f"Fictional list {n}"), level) for n in (1, 2)]
    run = saved(LinkRun(list_order=[str(p.pk) for p in lists]), level)
    run.lists.set(lists)
    return run


def stored_estimate(label: str, category: str = "detained") -> Any:
    """An unsaved StoredEstimate of a small fictional three-list table (log-linear)."""
    from vigil.counting.estimate import estimate
    from vigil.counting.models import StoredEstimate
    from vigil.counting.stored import table_from_inputs, versions

    inputs = {
        "kind": "table",
        "lists": ["Fictional A", "Fictional B", "Fictional C"],
        "cells": [[1, 0, 0, 120], [0, 1, 0, 90], [1, 1, 0, 30], [0, 0, 1, 100],
                  [1, 0, 1, 35], [0, 1, 1, 25], [1, 1, 1, 9]],
    }
    result = estimate(table_from_inputs(inputs))
    return StoredEstimate(
        label=label, category=category, method="loglinear", inputs=inputs,
        result=result.as_json(), observed=result.observed, estimate=result.estimate,
        interval_low=result.interval[0], interval_high=result.interval[1],
        versions=versions(), command="vigil estimate fictional.csv --method loglinear",
    )
