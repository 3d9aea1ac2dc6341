"""Which models the policy governs, how each links to cases, and which records it belongs to.

A model missing from :data:`GOVERNED` is denied to everyone (``restrict`` returns ``none()``).
``parents`` are the records a record describes: it is visible only when each non-null parent
is visible too (a name of a hidden person stays hidden).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

CaseIds = Any  # a list of case ids (or a queryset of them)


class Kind:
    RECORD = "record"  # confidentiality-bearing, governed by the rules table
    REFERENCE = "reference"  # the law and vocabularies: readable by every active user
    ATTACHED = "attached"  # no confidentiality of its own: follows its parent
    USER = "user"
    HISTORY = "history"
    OVERSIGHT = "oversight"  # grants, quota counters and flags
    RISK = "risk"  # early-warning scores and what is stored with them (rules.RISK_RULES)


@dataclass(frozen=True)
class Governed:
    """How the policy treats one model."""

    kind: str
    parents: tuple[str, ...] = ()
    in_cases: Callable[[CaseIds], Q] | None = None
    # Parents that may be soft-deleted and still govern the record (a merged-away duplicate).
    deleted_parents: tuple[str, ...] = ()


def _through(label: str, field: str) -> type[models.Model]:
    through: type[models.Model] = apps.get_model(label)._meta.get_field(field).remote_field.through
    return through


def parent_key(model: type[models.Model], name: str) -> models.ForeignKey[Any, Any]:
    """The foreign key ``name`` of ``model`` that names a governed record's parent."""
    return cast("models.ForeignKey[Any, Any]", model._meta.get_field(name))


def case_persons(case_ids: CaseIds) -> Any:
    """Ids of the persons in the given cases."""
    through = _through("records.case", "persons")
    return through._default_manager.filter(case_id__in=case_ids).values("person_id")


def case_events(case_ids: CaseIds) -> Any:
    """Ids of the events in the given cases."""
    through = _through("records.case", "events")
    return through._default_manager.filter(case_id__in=case_ids).values("event_id")


def case_acts(case_ids: CaseIds) -> Any:
    """Ids of the acts of the events in the given cases."""
    act = apps.get_model("records.act")
    return act.all_objects.filter(event_id__in=case_events(case_ids)).values("pk")


def case_organisations(case_ids: CaseIds) -> Any:
    """Ids of the organisations that are victims of acts in the given cases."""
    act = apps.get_model("records.act")
    return act.all_objects.filter(
        event_id__in=case_events(case_ids), victim_organisation__isnull=False
    ).values("victim_organisation_id")


def _targets_in_cases(case_ids: CaseIds) -> Q:
    ct = ContentType.objects.get_for_model
    return (
        Q(target_type=ct(apps.get_model("records.person")), target_id__in=case_persons(case_ids))
        | Q(target_type=ct(apps.get_model("records.event")), target_id__in=case_events(case_ids))
        | Q(target_type=ct(apps.get_model("records.act")), target_id__in=case_acts(case_ids))
    )


def case_sources(case_ids: CaseIds) -> Any:
    """Ids of sources supporting facts in the given cases, or whose witness is in them."""
    information = apps.get_model("records.information")
    source = apps.get_model("records.source")
    supporting = information.all_objects.filter(_targets_in_cases(case_ids)).values("source_id")
    return source.all_objects.filter(
        Q(pk__in=supporting) | Q(source_person_id__in=case_persons(case_ids))
    ).values("pk")


def _interventions(case_ids: CaseIds) -> Q:
    through = _through("records.intervention", "cases")
    return Q(pk__in=through._default_manager.filter(case_id__in=case_ids).values("intervention_id"))


def _interventions_ids(case_ids: CaseIds) -> Any:
    through = _through("records.intervention", "cases")
    return through._default_manager.filter(case_id__in=case_ids).values("intervention_id")


def _statements_ids(case_ids: CaseIds) -> Any:
    statement = apps.get_model("solidarity.statement")
    by_case = _through("solidarity.statement", "cases")._default_manager.filter(
        case_id__in=case_ids
    )
    by_person = _through("solidarity.statement", "persons")._default_manager.filter(
        person_id__in=case_persons(case_ids)
    )
    return statement.all_objects.filter(
        Q(pk__in=by_case.values("statement_id")) | Q(pk__in=by_person.values("statement_id"))
    ).values("pk")


def _statements(case_ids: CaseIds) -> Q:
    return Q(pk__in=_statements_ids(case_ids))


GOVERNED: dict[str, Governed] = {
    "records.case": Governed(Kind.RECORD, in_cases=lambda c: Q(pk__in=c)),
    "records.person": Governed(Kind.RECORD, in_cases=lambda c: Q(pk__in=case_persons(c))),
    "records.personname": Governed(
        Kind.RECORD, ("person",), lambda c: Q(person_id__in=case_persons(c))
    ),
    "records.profession": Governed(
        Kind.RECORD, ("person",), lambda c: Q(person_id__in=case_persons(c))
    ),
    "records.externalid": Governed(
        Kind.RECORD,
        ("person", "organisation"),
        lambda c: Q(person_id__in=case_persons(c)) | Q(organisation_id__in=case_organisations(c)),
    ),
    "records.organisation": Governed(
        Kind.RECORD, in_cases=lambda c: Q(pk__in=case_organisations(c))
    ),
    "records.organisationname": Governed(
        Kind.RECORD, ("organisation",), lambda c: Q(organisation_id__in=case_organisations(c))
    ),
    "records.event": Governed(Kind.RECORD, in_cases=lambda c: Q(pk__in=case_events(c))),
    "records.eventlink": Governed(
        Kind.RECORD,
        ("from_event", "to_event"),
        lambda c: Q(from_event_id__in=case_events(c)) | Q(to_event_id__in=case_events(c)),
    ),
    "records.act": Governed(
        Kind.RECORD,
        ("event", "victim_person", "victim_organisation"),
        lambda c: Q(event_id__in=case_events(c)),
    ),
    "records.actcharge": Governed(Kind.RECORD, ("act",), lambda c: Q(act_id__in=case_acts(c))),
    "records.involvement": Governed(
        Kind.RECORD,
        ("act", "perpetrator_person", "perpetrator_organisation"),
        lambda c: Q(act_id__in=case_acts(c)),
    ),
    "records.counsel": Governed(
        Kind.RECORD, ("act", "lawyer"), lambda c: Q(act_id__in=case_acts(c))
    ),
    "records.participant": Governed(
        Kind.RECORD, ("act", "person"), lambda c: Q(act_id__in=case_acts(c))
    ),
    "records.source": Governed(Kind.RECORD, in_cases=lambda c: Q(pk__in=case_sources(c))),
    "records.evidence": Governed(
        Kind.RECORD, ("source",), lambda c: Q(source_id__in=case_sources(c))
    ),
    "records.information": Governed(Kind.RECORD, ("source",), _targets_in_cases),
    "records.intervention": Governed(Kind.RECORD, in_cases=_interventions),
    "records.statistic": Governed(Kind.RECORD),
    # A stored estimate (multiple systems estimation) is an aggregate, like a statistic.
    "counting.storedestimate": Governed(Kind.RECORD),
    # Stored lists of persons (restricted by default; rows encrypted) and their linking: a
    # row follows its list, a pair its link run, a decision its pair.
    "counting.personlist": Governed(Kind.RECORD),
    "counting.listrow": Governed(Kind.ATTACHED, ("list",)),
    "counting.linkrun": Governed(Kind.RECORD),
    "counting.linkpair": Governed(Kind.ATTACHED, ("run",)),
    "counting.linkdecision": Governed(Kind.ATTACHED, ("pair",)),
    "records.personmerge": Governed(
        Kind.RECORD,
        ("keep", "duplicate"),
        lambda c: Q(keep_id__in=case_persons(c)) | Q(duplicate_id__in=case_persons(c)),
        deleted_parents=("duplicate",),
    ),
    # Sanctions: the lists are public data; a screening match is an analyst's record about a
    # perpetrator and follows that person.
    "sanctions.screeningmatch": Governed(
        Kind.RECORD,
        ("person", "organisation"),
        lambda c: Q(person_id__in=case_persons(c)) | Q(organisation_id__in=case_organisations(c)),
    ),
    "sanctions.sanctionslist": Governed(Kind.REFERENCE),
    "sanctions.listedentity": Governed(Kind.REFERENCE),
    "sanctions.listchange": Governed(Kind.REFERENCE),
    # That a perpetrator was screened against a list version: follows the person.
    "sanctions.listscreening": Governed(Kind.ATTACHED, ("person",)),
    # The international response.
    "responses.violationcoding": Governed(
        Kind.RECORD, ("act",), lambda c: Q(act_id__in=case_acts(c))
    ),
    "responses.interventionbeneficiary": Governed(
        Kind.RECORD,
        ("intervention", "person"),
        lambda c: Q(person_id__in=case_persons(c)),
    ),
    "responses.stateresponse": Governed(
        Kind.RECORD, ("intervention",), lambda c: Q(intervention__in=_interventions_ids(c))
    ),
    "responses.followup": Governed(
        Kind.RECORD, ("intervention",), lambda c: Q(intervention__in=_interventions_ids(c))
    ),
    "responses.forumposition": Governed(Kind.RECORD, ("state",)),
    "responses.standard": Governed(Kind.REFERENCE),
    # Trial monitoring: a hearing follows its case (and the court, judge and prosecutor it
    # names); observers' assignments and reports follow the hearing.
    "solidarity.hearing": Governed(
        Kind.RECORD, ("case", "court", "judge", "prosecutor"), lambda c: Q(case_id__in=c)
    ),
    "solidarity.observerassignment": Governed(
        Kind.RECORD, ("hearing",), lambda c: Q(hearing__case_id__in=c)
    ),
    "solidarity.observationreport": Governed(
        Kind.RECORD, ("hearing",), lambda c: Q(hearing__case_id__in=c)
    ),
    # Solidarity: a statement is in a case when it concerns the case or one of its persons.
    "solidarity.statement": Governed(Kind.RECORD, ("author",), _statements),
    "solidarity.signatory": Governed(
        Kind.RECORD, ("statement", "organisation"), lambda c: Q(statement__in=_statements_ids(c))
    ),
    # The Day of the Endangered Lawyer editions are public knowledge, like the vocabularies.
    "solidarity.endangeredlawyerday": Governed(Kind.REFERENCE),
    "solidarity.internationaldate": Governed(Kind.REFERENCE),
    # A user's calendar feed tokens: their own, and overseen by coordinators and admins.
    "solidarity.calendartoken": Governed(Kind.OVERSIGHT),
    "records.legalprovision": Governed(Kind.REFERENCE),
    "records.legalamendment": Governed(Kind.REFERENCE),
    "records.term": Governed(Kind.REFERENCE),
    "records.custodyevent": Governed(Kind.ATTACHED, ("evidence",)),
    # Protection (issue 12): cases and grants are at least restricted; who a beneficiary is
    # needs an explicit grant on top (vigil.protection.access, an identity gate).
    "protection.protectioncase": Governed(Kind.RECORD),
    "protection.protectionaction": Governed(Kind.RECORD, ("case",)),
    "protection.defencefund": Governed(Kind.RECORD),
    "protection.fundgrant": Governed(Kind.RECORD, ("fund",)),
    "protection.beneficiaryaccess": Governed(Kind.OVERSIGHT),
    "accounts.user": Governed(Kind.USER),
    "core.version": Governed(Kind.HISTORY),
    "policy.casegrant": Governed(Kind.OVERSIGHT),
    "policy.quotausage": Governed(Kind.OVERSIGHT),
    "policy.userflag": Governed(Kind.OVERSIGHT),
    # Early warning: confidential, for the roles of rules.RISK_RULES, per person they may view.
    "warning.watchedperson": Governed(Kind.RISK, ("person",)),
    "warning.riskscore": Governed(Kind.RISK, ("person",)),
    "warning.modelfit": Governed(Kind.RISK),
    "warning.crosssourcelink": Governed(Kind.RISK, ("zubr_person", "other_person")),
}


def governed(model: type[models.Model]) -> Governed | None:
    """The policy entry for ``model``, or None (deny)."""
    return GOVERNED.get(model._meta.label_lower)


def record_models() -> list[type[models.Model]]:
    """The installed models governed by the rules table (read once the app registry is
    complete: the installed apps do not change while a process runs)."""
    if _RECORD_MODELS:
        return list(_RECORD_MODELS)
    found = [
        apps.get_model(label)
        for label, spec in GOVERNED.items()
        if spec.kind == Kind.RECORD and _installed(label)
    ]
    if apps.ready:
        _RECORD_MODELS.extend(found)
    return found


_RECORD_MODELS: list[type[models.Model]] = []


def _installed(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True
