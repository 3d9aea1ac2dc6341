"""Acts with their charges, perpetrators and counsel: list, read, record, change, soft delete."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from vigil.api.auth import api_user
from vigil.api.common import visible
from vigil.api.crud import Resource, Writer, register
from vigil.api.errors import InvalidField
from vigil.api.present import Visibility, choice, meta, term_out
from vigil.api.schemas.acts import (
    ACT_STATUSES,
    INCHOATES,
    ActCreate,
    ActFilters,
    ActOut,
    ActRowFilters,
    ActUpdate,
    ChargeCreate,
    ChargeIn,
    ChargeOut,
    ChargeRecordOut,
    ChargeUpdate,
    CounselCreate,
    CounselFilters,
    CounselIn,
    CounselOut,
    CounselUpdate,
    InvolvementCreate,
    InvolvementFilters,
    InvolvementIn,
    InvolvementOut,
    InvolvementUpdate,
    ParticipantOut,
    PerpetratorOut,
    ProvisionOut,
)
from vigil.api.schemas.common import PRECISIONS
from vigil.records.act_queries import matching_acts
from vigil.records.models import (
    Act,
    ActCharge,
    Counsel,
    Event,
    Involvement,
    LegalProvision,
    Organisation,
    Participant,
    Person,
    Term,
)

router = Router(tags=["acts"])


def term_filter(field: str, vocabulary: str, key: str) -> Q:
    """Match a term by its key or its full id."""
    column = field if field == "id" else f"{field}_id"
    return Q(**{column: key}) | Q(**{column: f"{vocabulary}.{key}"})


def matching(
    request: HttpRequest,
    type: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    provision: Any = None,
    article: str | None = None,
    court: Any = None,
) -> QuerySet[Act]:
    """Visible acts passing the web lists' act filters (their code), plus an article filter."""
    user = api_user(request)
    data: dict[str, Any] = {"date_from": date_from, "date_to": date_to}
    if type:
        data["act_type"] = Term.objects.filter(term_filter("id", "act_type", type)).first()
        if data["act_type"] is None:
            return Act.objects.none()
    for name, model, pk in (
        ("provision", LegalProvision, provision),
        ("court", Organisation, court),
    ):
        if pk is not None:
            data[name] = visible(request, model.objects.filter(pk=pk)).first()
            if data[name] is None:  # missing or hidden: nothing matches
                return Act.objects.none()
    acts = matching_acts(user, data)
    if article:
        charges = visible(request, ActCharge.objects.filter(provision__article=article))
        acts = acts.filter(pk__in=charges.values("act_id"))
    return acts


def select_acts(request: HttpRequest, f: ActFilters) -> QuerySet[Act]:
    """Visible acts by victim, event, type, date range, provision, court and status."""
    acts = matching(request, f.type, f.date_from, f.date_to, f.provision, f.article, f.court)
    if f.person is not None:
        acts = acts.filter(victim_person_id=f.person)
    if f.event is not None:
        acts = acts.filter(event_id=f.event)
    if f.status:
        acts = acts.filter(status=f.status)
    if f.confidentiality:
        acts = acts.filter(confidentiality=f.confidentiality)
    return acts.order_by("date", "created_at", "id")


def check_act(act: Act) -> None:
    """An act has at most one victim; a new one is known from today unless told otherwise."""
    if act.victim_person_id and act.victim_organisation_id:
        raise InvalidField("victim_organisation", "An act has one victim: a person or an org.")
    if act._state.adding:
        act.known_since = act.known_since or timezone.localdate()
        return
    stored = Act.all_objects.filter(pk=act.pk).values_list("known_since", flat=True).first()
    if act.known_since != stored:  # a date given by a person is not assumed
        act.known_since_assumed = False


def provision_for(writer: Writer, charge: ChargeIn, prefix: str) -> LegalProvision:
    """The provision a charge names: by id, or by its article (recorded when new)."""
    if charge.provision is not None:
        return writer.record(LegalProvision, charge.provision, f"{prefix}provision")
    if not charge.article:
        raise InvalidField(f"{prefix}article", "Give a provision id or an article.")
    key = {
        "jurisdiction": charge.jurisdiction or "BY",
        "code": charge.code,
        "article": charge.article,
        "part": charge.part,
        "point": charge.point,
    }
    found = LegalProvision.objects.filter(**key).first()
    if found is None:
        found = writer.add(LegalProvision(title=charge.title, **key))
    return found


def add_charge(writer: Writer, act: Act, charge: ChargeIn, prefix: str = "") -> ActCharge:
    """Record one charge on ``act``."""
    return writer.add(
        ActCharge(
            act=act,
            provision=provision_for(writer, charge, prefix),
            inchoate=charge.inchoate,
            text_as_written=charge.text_as_written,
            confidentiality=charge.confidentiality or act.confidentiality,
        )
    )


def add_involvement(writer: Writer, act: Act, row: InvolvementIn, name: str) -> Involvement:
    """Record one perpetrator in ``act``."""
    involvement = Involvement(
        act=act,
        role_id=writer.term("perpetrator_role", row.role, f"{name}.role"),
        degree_id=writer.term("involvement_degree", row.degree, f"{name}.degree")
        if row.degree
        else None,
        note=row.note,
        confidentiality=row.confidentiality or act.confidentiality,
    )
    if row.perpetrator_person is not None:
        involvement.perpetrator_person = writer.record(
            Person, row.perpetrator_person, f"{name}.perpetrator_person"
        )
    if row.perpetrator_organisation is not None:
        involvement.perpetrator_organisation = writer.record(
            Organisation, row.perpetrator_organisation, f"{name}.perpetrator_organisation"
        )
    check_involvement(involvement)
    return writer.add(involvement)


def add_counsel(writer: Writer, act: Act, row: CounselIn, name: str) -> Counsel:
    """Record one lawyer defending the victim in ``act``."""
    lawyer = writer.record(Person, row.lawyer, f"{name}.lawyer")
    level = row.confidentiality or act.confidentiality
    return writer.add(Counsel(act=act, lawyer=lawyer, note=row.note, confidentiality=level))


def act_children(writer: Writer, act: Act, nested: dict[str, Any], creating: bool) -> None:
    """The charges, perpetrators and counsel sent with a new act."""
    for i, charge in enumerate(nested.get("charges") or []):
        add_charge(writer, act, ChargeIn.model_validate(charge), f"charges.{i}.")
    for i, row in enumerate(nested.get("perpetrators") or []):
        add_involvement(writer, act, InvolvementIn.model_validate(row), f"perpetrators.{i}")
    for i, row in enumerate(nested.get("counsel") or []):
        add_counsel(writer, act, CounselIn.model_validate(row), f"counsel.{i}")


def build_charge(writer: Writer, payload: ChargeCreate) -> ActCharge:
    """A charge added on its own to an act the user may see."""
    return add_charge(writer, writer.record(Act, payload.act, "act"), payload)


def check_involvement(row: Involvement) -> None:
    """An involvement names exactly one perpetrator: a person or an organisation."""
    if (row.perpetrator_person_id is None) == (row.perpetrator_organisation_id is None):
        raise InvalidField(
            "perpetrator_person", "Name one perpetrator: a person or an organisation."
        )


def _in_act(request: HttpRequest, model: Any, act: Any) -> QuerySet[Any]:
    rows = model.objects.all() if act is None else model.objects.filter(act_id=act)
    return visible(request, rows)


def select_charges(request: HttpRequest, f: Any) -> QuerySet[ActCharge]:
    """Visible charges, by act."""
    rows = _in_act(request, ActCharge, f.act).select_related("provision")
    return rows.order_by("created_at", "id")


def select_involvements(request: HttpRequest, f: InvolvementFilters) -> QuerySet[Involvement]:
    """Visible involvements by act, perpetrator (their page) and role."""
    rows = _in_act(request, Involvement, f.act)
    if f.perpetrator is not None:
        rows = rows.filter(perpetrator_person_id=f.perpetrator) | rows.filter(
            perpetrator_organisation_id=f.perpetrator
        )
    if f.role:
        rows = rows.filter(term_filter("role", "perpetrator_role", f.role))
    return rows.select_related(
        "act", "act__act_type", "role", "degree", "perpetrator_person", "perpetrator_organisation"
    ).order_by("act__date", "created_at", "id")


def select_counsel(request: HttpRequest, f: CounselFilters) -> QuerySet[Counsel]:
    """Visible counsel by act and lawyer."""
    rows = _in_act(request, Counsel, f.act)
    if f.lawyer is not None:
        rows = rows.filter(lawyer_id=f.lawyer)
    return rows.select_related("lawyer").order_by("created_at", "id")


def _by_act(queryset: QuerySet[Any]) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for row in queryset:
        grouped[row.act_id].append(row)
    return grouped


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None


def acts_out(seen: Visibility, acts: list[Act]) -> list[ActOut]:
    """Acts with their related rows, each collection restricted to what the user may see."""
    ids = [a.pk for a in acts]
    acts = list(
        Act.objects.filter(pk__in=ids).select_related(
            "act_type",
            "event",
            "victim_person",
            "victim_organisation",
            "place",
            "sentence_regime",
            "restriction_measure",
        )
    )
    order = {pk: i for i, pk in enumerate(ids)}
    acts.sort(key=lambda a: order[a.pk])
    charges = _by_act(
        seen.view(ActCharge.objects.filter(act_id__in=ids)).select_related("provision")
    )
    involvements = _by_act(
        seen.view(Involvement.objects.filter(act_id__in=ids)).select_related(
            "perpetrator_person", "perpetrator_organisation", "role", "degree"
        )
    )
    counsel = _by_act(seen.view(Counsel.objects.filter(act_id__in=ids)).select_related("lawyer"))
    participants = _by_act(
        seen.view(Participant.objects.filter(act_id__in=ids)).select_related("person")
    )
    return [
        _act_out(seen, a, charges[a.pk], involvements[a.pk], counsel[a.pk], participants[a.pk])
        for a in acts
    ]


def _act_out(
    seen: Visibility,
    act: Act,
    charges: list[ActCharge],
    involvements: list[Involvement],
    counsel: list[Counsel],
    participants: list[Participant],
) -> ActOut:
    return ActOut(
        **meta(act),
        event=seen.ref(Event, act.event),
        act_type=term_out(act.act_type),
        victim_person=seen.ref(Person, act.victim_person),
        victim_organisation=seen.ref(Organisation, act.victim_organisation),
        date=act.date,
        date_precision=choice(act.date_precision, PRECISIONS),
        date_end=act.date_end,
        place=seen.ref(Organisation, act.place),
        place_text=act.place_text,
        status=choice(act.status, ACT_STATUSES),
        outcome=act.outcome,
        description=act.description,
        sentence_months=_number(act.sentence_months),
        sentence_regime=term_out(act.sentence_regime),
        restriction_measure=term_out(act.restriction_measure),
        suspended=act.suspended,
        fine_amount=_number(act.fine_amount),
        fine_unit=act.fine_unit,
        sentence_text=act.sentence_text,
        source_status=act.source_status,
        detention_days=act.detention_days,
        known_since=act.known_since,
        known_since_assumed=act.known_since_assumed,
        charges=[
            ChargeOut(
                id=c.pk,
                provision=str(c.provision),
                provision_id=c.provision_id,
                code=c.provision.code,
                article=c.provision.article,
                part=c.provision.part,
                point=c.provision.point,
                title=c.provision.title,
                inchoate=choice(c.inchoate, INCHOATES),
                text_as_written=c.text_as_written,
            )
            for c in charges
        ],
        perpetrators=[
            PerpetratorOut(
                id=i.pk,
                person=seen.ref(Person, i.perpetrator_person),
                organisation=seen.ref(Organisation, i.perpetrator_organisation),
                role=term_out(i.role),
                degree=term_out(i.degree),
            )
            for i in involvements
        ],
        counsel=[r for c in counsel if (r := seen.ref(Person, c.lawyer)) is not None],
        participants=[
            ParticipantOut(
                id=p.pk,
                person=seen.ref(Person, p.person),
                name_text=p.name_text,
                stated_role=p.stated_role,
                confirmed_role=p.confirmed_role,
            )
            for p in participants
        ],
    )


def provision_out(provision: LegalProvision) -> ProvisionOut:
    """A legal provision."""
    return ProvisionOut(
        id=provision.pk,
        label=str(provision),
        jurisdiction=provision.jurisdiction,
        code=provision.code,
        article=provision.article,
        part=provision.part,
        point=provision.point,
        title=provision.title,
    )


def charges_out(seen: Visibility, charges: list[ActCharge]) -> list[ChargeRecordOut]:
    """Charges with their provisions."""
    return [
        ChargeRecordOut(
            **meta(c),
            act=c.act_id,
            provision=provision_out(c.provision),
            inchoate=choice(c.inchoate, INCHOATES),
            text_as_written=c.text_as_written,
        )
        for c in charges
    ]


def involvements_out(seen: Visibility, rows: list[Involvement]) -> list[InvolvementOut]:
    """Perpetrators in acts, with the act's type, date and victim (when visible)."""
    return [
        InvolvementOut(
            **meta(i),
            act=i.act_id,
            act_type=term_out(i.act.act_type),
            act_date=i.act.date,
            victim=seen.ref(Person, i.act.victim_person)
            or seen.ref(Organisation, i.act.victim_organisation),
            perpetrator_person=seen.ref(Person, i.perpetrator_person),
            perpetrator_organisation=seen.ref(Organisation, i.perpetrator_organisation),
            role=term_out(i.role),
            degree=term_out(i.degree),
            note=i.note,
        )
        for i in rows
    ]


def counsel_out(seen: Visibility, rows: list[Counsel]) -> list[CounselOut]:
    """Counsel in acts."""
    return [
        CounselOut(**meta(c), act=c.act_id, lawyer=seen.ref(Person, c.lawyer), note=c.note)
        for c in rows
    ]


ACTS = Resource(
    name="act",
    path="/acts",
    model=Act,
    out=ActOut,
    create=ActCreate,
    update=ActUpdate,
    filters=ActFilters,
    present=acts_out,
    select=select_acts,
    refs={
        "event": Event,
        "victim_person": Person,
        "victim_organisation": Organisation,
        "place": Organisation,
    },
    terms={
        "act_type": "act_type",
        "sentence_regime": "detention_regime",
        "restriction_measure": "restriction_measure",
    },
    numbers={"sentence_months": 1, "fine_amount": 2},
    nested=frozenset({"charges", "perpetrators", "counsel"}),
    clearable=frozenset(
        {
            "date",
            "date_end",
            "victim_person",
            "victim_organisation",
            "place",
            "sentence_months",
            "sentence_regime",
            "restriction_measure",
            "fine_amount",
        }
    ),
    inherit="event",
    check=check_act,
    after_save=act_children,
)

CHARGES = Resource(
    name="charge",
    path="/charges",
    model=ActCharge,
    out=ChargeRecordOut,
    create=ChargeCreate,
    update=ChargeUpdate,
    filters=ActRowFilters,
    present=charges_out,
    select=select_charges,
    build=build_charge,
)

INVOLVEMENTS = Resource(
    name="involvement",
    path="/involvements",
    model=Involvement,
    out=InvolvementOut,
    create=InvolvementCreate,
    update=InvolvementUpdate,
    filters=InvolvementFilters,
    present=involvements_out,
    select=select_involvements,
    refs={"act": Act, "perpetrator_person": Person, "perpetrator_organisation": Organisation},
    terms={"role": "perpetrator_role", "degree": "involvement_degree"},
    clearable=frozenset({"perpetrator_person", "perpetrator_organisation", "degree"}),
    inherit="act",
    check=check_involvement,
)

COUNSEL = Resource(
    name="counsel",
    path="/counsel",
    model=Counsel,
    out=CounselOut,
    create=CounselCreate,
    update=CounselUpdate,
    filters=CounselFilters,
    present=counsel_out,
    select=select_counsel,
    refs={"act": Act, "lawyer": Person},
    inherit="act",
)

for resource in (ACTS, CHARGES, INVOLVEMENTS, COUNSEL):
    register(router, resource)
