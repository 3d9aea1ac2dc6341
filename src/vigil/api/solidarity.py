"""Trial monitoring (hearings, observers, observation reports), statements and the calendar."""


import datetime as dt
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from vigil.api.auth import api_user
from vigil.api.common import Paged, visible, visible_or_404, writing
from vigil.api.errors import InvalidField
from vigil.api.present import Visibility, choice, meta
from vigil.api.schemas.common import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, Ref
from vigil.api.schemas.solidarity import (
    ACCESS_CODES,
    CALENDAR_KINDS,
    HEARING_KINDS,
    STATEMENT_KINDS,
    CalendarItemOut,
    HearingIn,
    HearingOut,
    ObservationIn,
    ObservationOut,
    ObserverIn,
    StatementIn,
    StatementOut,
)
from vigil.records.models import Case, Organisation, Person
from vigil.solidarity import calendar, monitoring, statements
from vigil.solidarity.models import Hearing, Statement

if TYPE_CHECKING:
    from vigil.accounts.types import User

router = Router(tags=["monitoring and solidarity"])


class HearingFilters(Schema):
    case: UUID | None = None


class CalendarQuery(Schema):
    start: dt.date | None = Field(None, description="first day (default today)")
    days: int = Field(calendar.DEFAULT_DAYS, ge=1, le=calendar.MAX_DAYS)


def _ref(seen: Visibility, model: type, obj: Any) -> Ref | None:
    return seen.ref(model, obj)


def hearing_out(user: "User", seen: Visibility, h: Hearing) -> HearingOut:
    return HearingOut(
        **meta(h),
        case=Ref(id=h.case.pk, name=h.case.title),
        date=h.date,
        time=h.time,
        kind=choice(h.kind, HEARING_KINDS),
        court=_ref(seen, Organisation, h.court),
        court_text=h.court_text,
        judge=_ref(seen, Person, h.judge),
        prosecutor=_ref(seen, Person, h.prosecutor),
        appeal_deadline=h.appeal_deadline,
        notes=h.notes,
        observers=[a.observer.get_username() for a in monitoring.observers(user, h)],
        reports=[
            ObservationOut(
                **meta(r),
                observer=r.observer.get_username(),
                access=choice(r.access, ACCESS_CODES),
                answers=r.answers,
                duration_minutes=r.duration_minutes,
                motions_refused=r.motions_refused,
                notes=r.notes,
                refusal_act=r.refusal_act_id,
            )
            for r in monitoring.reports(user, h)
        ],
    )


def _hearings(request: HttpRequest, items: list[Hearing]) -> list[HearingOut]:
    user = api_user(request)
    seen = Visibility(user)
    return [hearing_out(user, seen, h) for h in items]


def _select(qs: QuerySet[Hearing]) -> QuerySet[Hearing]:
    return qs.select_related("case", "court", "judge", "prosecutor")


@router.get("/hearings", response={200: list[HearingOut], **LIST_ERRORS})
@paginate(Paged, prepare=_hearings)
def list_hearings(request: HttpRequest, filters: Query[HearingFilters]) -> QuerySet[Hearing]:
    """Hearings the user may see, by date (optionally of one case)."""
    qs = Hearing.objects.all()
    if filters.case is not None:
        qs = qs.filter(case_id=filters.case)
    return _select(visible(request, qs)).order_by("date", "time", "id")


@router.get("/hearings/{id}", response={200: HearingOut, **READ_ERRORS})
def get_hearing(request: HttpRequest, id: UUID) -> HearingOut:
    """One hearing with its observers and the observation reports the user may see."""
    h = visible_or_404(request, _select(Hearing.objects.all()), id)
    user = api_user(request)
    return hearing_out(user, Visibility(user), h)


def _must_see(
    request: HttpRequest, model: type[models.Model], pk: UUID | None, name: str
) -> Any:
    if pk is None:
        return None
    found = visible(request, model._default_manager.filter(pk=pk)).first()
    if found is None:
        raise InvalidField(name, f"No {model._meta.verbose_name} with this id.", 404)
    return found


@router.post("/hearings", response={201: HearingOut, **WRITE_ERRORS})
def create_hearing(request: HttpRequest, body: HearingIn) -> Status[HearingOut]:
    """Record a hearing of a case; it takes the case's confidentiality."""
    with writing(request) as user:
        data = monitoring.HearingInput(
            case=_must_see(request, Case, body.case, "case"),
            date=body.date,
            time=body.time,
            kind=body.kind,
            court=_must_see(request, Organisation, body.court, "court"),
            court_text=body.court_text,
            judge=_must_see(request, Person, body.judge, "judge"),
            prosecutor=_must_see(request, Person, body.prosecutor, "prosecutor"),
            appeal_deadline=body.appeal_deadline,
            notes=body.notes,
        )
        if data.appeal_deadline is not None and data.appeal_deadline < data.date:
            raise InvalidField("appeal_deadline", "The appeal deadline comes before the hearing.")
        hearing = monitoring.add_hearing(user, data)
    return Status(201, hearing_out(user, Visibility(user), hearing))


@router.post("/hearings/{id}/observers", response={201: HearingOut, **WRITE_ERRORS})
def assign_observer(request: HttpRequest, id: UUID, body: ObserverIn) -> Status[HearingOut]:
    """Assign an observer (coordinators and admins: any active user; others: themselves)."""
    hearing = visible_or_404(request, _select(Hearing.objects.all()), id)
    with writing(request) as user:
        allowed = {str(u.pk) for u in monitoring.assignable_observers(user)}
        if str(body.observer) not in allowed:
            raise InvalidField("observer", "No user you may assign with this id.", 404)
        observer = get_user_model().objects.get(pk=body.observer)
        monitoring.assign_observer(user, hearing, observer)
    return Status(201, hearing_out(user, Visibility(user), hearing))


@router.post("/hearings/{id}/reports", response={201: HearingOut, **WRITE_ERRORS})
def file_report(request: HttpRequest, id: UUID, body: ObservationIn) -> Status[HearingOut]:
    """File the calling user's observation; a refused observer is recorded as an act."""
    hearing = visible_or_404(request, _select(Hearing.objects.all()), id)
    known = {t.key for t in monitoring.checklist_items()}
    for key in body.answers:
        if key not in known:
            raise InvalidField("answers", f"{key!r} is not an item of the fair-trial checklist.")
    with writing(request) as user:
        monitoring.file_report(
            user,
            hearing,
            monitoring.ReportInput(
                access=body.access,
                answers=dict(body.answers),
                duration_minutes=body.duration_minutes,
                motions_refused=body.motions_refused,
                notes=body.notes,
            ),
        )
    return Status(201, hearing_out(user, Visibility(user), hearing))


def statement_out(user: "User", seen: Visibility, s: Statement) -> StatementOut:
    persons, cases = statements.concerned(user, s)
    return StatementOut(
        **meta(s),
        kind=choice(s.kind, STATEMENT_KINDS),
        title=s.title,
        date=s.date,
        author=_ref(seen, Organisation, s.author),
        author_text=s.author_text,
        url=s.url,
        summary=s.summary,
        edition=s.edition.year if s.edition else None,
        followed=s.followed,
        followed_date=s.followed_date,
        persons=[Ref(id=p.pk, name=p.display_name) for p in persons],
        cases=[Ref(id=c.pk, name=c.title) for c in cases],
        signatories=[str(x) for x in statements.signatories(user, s)],
    )


def _statements(request: HttpRequest, items: list[Statement]) -> list[StatementOut]:
    user = api_user(request)
    seen = Visibility(user)
    return [statement_out(user, seen, s) for s in items]


class StatementFilters(Schema):
    person: UUID | None = None


@router.get("/statements", response={200: list[StatementOut], **LIST_ERRORS})
@paginate(Paged, prepare=_statements)
def list_statements(request: HttpRequest, filters: Query[StatementFilters]) -> QuerySet[Statement]:
    """Statements and letters the user may see (optionally about one person), newest first."""
    qs = Statement.objects.select_related("author", "edition")
    if filters.person is not None:
        qs = qs.filter(persons__id=filters.person)
    return visible(request, qs).distinct().order_by("-date", "title", "id")


@router.get("/statements/{id}", response={200: StatementOut, **READ_ERRORS})
def get_statement(request: HttpRequest, id: UUID) -> StatementOut:
    """One statement, its signatories and what it concerns."""
    s = visible_or_404(request, Statement.objects.select_related("author", "edition"), id)
    user = api_user(request)
    return statement_out(user, Visibility(user), s)


@router.post("/statements", response={201: StatementOut, **WRITE_ERRORS})
def create_statement(request: HttpRequest, body: StatementIn) -> Status[StatementOut]:
    """Record a statement by an organisation or a named author, about persons and cases."""
    author = _must_see(request, Organisation, body.author, "author")
    for pk in body.persons:
        _must_see(request, Person, pk, "persons")
    for pk in body.cases:
        _must_see(request, Case, pk, "cases")
    if author is None and not body.author_text.strip():
        raise InvalidField("author_text", "Say who made the statement: an organisation or a name.")
    if body.edition is not None and not statements.edition_exists(body.edition):
        raise InvalidField("edition", "No Day of the Endangered Lawyer of this year.", 404)
    with writing(request) as user:
        s = statements.add_statement(
            user,
            statements.StatementInput(
                title=body.title,
                kind=body.kind,
                date=body.date,
                author=author,
                author_text=body.author_text,
                url=body.url,
                summary=body.summary,
                edition_year=body.edition,
                followed=body.followed,
                followed_date=body.followed_date,
                persons=list(body.persons),
                cases=list(body.cases),
                signatories=list(body.signatories),
                confidentiality=body.confidentiality,
            ),
        )
    return Status(201, statement_out(user, Visibility(user), s))


@router.get("/calendar", response={200: list[CalendarItemOut], **LIST_ERRORS})
def get_calendar(request: HttpRequest, query: Query[CalendarQuery]) -> list[CalendarItemOut]:
    """Hearings, appeal deadlines, sentence ends, follow-ups due, 24 January and the UN
    sessions and deadlines an admin entered, by date."""
    first = query.start
    if first is not None:  # a day far out of range is read as the nearest one in range
        first = min(max(first, dt.date(1900, 1, 1)), dt.date(2200, 12, 31))
    start, end = calendar.window(first, query.days)
    with translation.override("en"):
        return [
            CalendarItemOut(
                date=i.date, kind=choice(i.kind, CALENDAR_KINDS), title=i.title, link=i.link
            )
            for i in calendar.items(api_user(request), start, end)
        ]
