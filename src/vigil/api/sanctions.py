"""The sanctions gap and the review of screening candidates, through the access policy."""

from typing import Any, Literal
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from vigil.api.auth import api_user
from vigil.api.common import Paged, require_role, visible, visible_or_404, writing
from vigil.api.present import Visibility, choice, term_out
from vigil.api.schemas.common import LIST_ERRORS, WRITE_ERRORS, Ref
from vigil.api.schemas.sanctions import (
    DECISIONS,
    LIST_STATES,
    CandidateOut,
    DecisionIn,
    GapActOut,
    GapOut,
    GapRowOut,
    ListedEntityOut,
    ListOut,
    ListStatusOut,
)
from vigil.policy.access import check_write
from vigil.records.models import Act, Person
from vigil.sanctions.gap import GapReport, GapRow, gap_report
from vigil.sanctions.models import ScreeningMatch
from vigil.sanctions.screening import decide

router = Router(tags=["sanctions"])

REVIEWERS = ("admin", "coordinator", "analyst")


class CandidateFilters(Schema):
    """Filters of the candidates list."""

    decision: Literal["pending", "confirmed", "rejected"] = "pending"


def _row_out(seen: Visibility, row: GapRow, acts: set[Any]) -> GapRowOut:
    return GapRowOut(
        person=Ref(id=row.of_person.pk, name=str(row.person)),
        roles=row.roles,
        acts=[
            GapActOut(
                act=line.act.pk,
                act_type=term_out(line.act.act_type),
                role=line.role,
                date=line.act.date,
                victim=seen.ref(Person, line.act.victim_person),
                sentence_months=(
                    float(line.act.sentence_months)
                    if line.act.sentence_months is not None
                    else None
                ),
            )
            for line in row.acts
            if line.act.pk in acts
        ],
        statuses=[
            ListStatusOut(
                list=s.list.name,
                state=choice(s.state, LIST_STATES),
                text=s.text,
                entity_id=s.entity_id,
                score=s.score,
            )
            for s in row.statuses
        ],
        listed_by=row.listed_by,
        unsanctioned=row.unsanctioned,
    )


def _visible_gap(seen: Visibility) -> tuple[GapReport, set[Any]]:
    report = gap_report(seen.user)
    persons = seen.ids(Person, [row.of_person.pk for row in report.rows])
    report.rows = [row for row in report.rows if row.of_person.pk in persons]
    acts = seen.ids(Act, [line.act.pk for row in report.rows for line in row.acts])
    for row in report.rows:
        row.acts = [line for line in row.acts if line.act.pk in acts]
        row.roles = sorted({line.role for line in row.acts})
    return report, acts


@router.get("/sanctions/gap", response={200: GapOut, **LIST_ERRORS})
def get_gap(request: HttpRequest) -> GapOut:
    """Perpetrators the user may see and their status on every loaded list."""
    seen = Visibility(api_user(request))
    report, acts = _visible_gap(seen)
    return GapOut(
        generated=report.generated,
        lists=[
            ListOut(
                name=lst.name,
                issuer=lst.issuer,
                programme=lst.programme,
                version_date=lst.version_date,
                stale=lst.is_stale(),
            )
            for lst in report.lists
        ],
        missing_issuers=report.missing_issuers,
        summary=report.summary(),
        rows=[_row_out(seen, row, acts) for row in report.rows],
    )


def candidate_out(seen: Visibility, match: ScreeningMatch) -> CandidateOut:
    """A screening candidate with its listed entity (public list data)."""
    entity = match.listed_entity
    return CandidateOut(
        id=match.pk,
        version=match.version,
        person=seen.ref(Person, match.person),
        listed_entity=ListedEntityOut(
            list=entity.sanctions_list.name,
            entity_id=entity.entity_id,
            caption=entity.caption,
            positions=[str(p) for p in entity.positions],
            listing_date=entity.listing_date,
            reason=entity.reason,
        ),
        score=match.score,
        query_name=match.query_name,
        matched_name=match.matched_name,
        explanation=match.explanation,
        decision=choice(match.decision, DECISIONS),
        reviewed_at=match.reviewed_at,
        review_note=match.review_note,
    )


def _candidates(request: HttpRequest, items: list[ScreeningMatch]) -> list[CandidateOut]:
    seen = Visibility(api_user(request))
    return [candidate_out(seen, m) for m in items]


def _matches() -> QuerySet[ScreeningMatch]:
    return ScreeningMatch.objects.filter(person__isnull=False).select_related(
        "person", "listed_entity", "listed_entity__sanctions_list"
    )


@router.get("/sanctions/candidates", response={200: list[CandidateOut], **LIST_ERRORS})
@paginate(Paged, prepare=_candidates)
def list_candidates(
    request: HttpRequest, filters: Query[CandidateFilters]
) -> QuerySet[ScreeningMatch]:
    """Screening candidates of perpetrators the user may see, best score first."""
    qs = visible(request, _matches()).filter(decision=filters.decision)
    return qs.order_by("-score", "id")


@router.post(
    "/sanctions/candidates/{id}/decision",
    response={200: CandidateOut, **WRITE_ERRORS},
)
def decide_candidate(request: HttpRequest, id: UUID, payload: DecisionIn) -> CandidateOut:
    """Confirm or reject a candidate (analysts and above); a stale ``version`` gets 409."""
    with writing(request) as user:
        match = visible_or_404(request, _matches(), id)
        require_role(request, *REVIEWERS)
        check_write(user, "change", match)
        if payload.version is not None:
            match.version = payload.version
        decide(match, payload.decision, user=user, note=payload.note.strip())
    return candidate_out(Visibility(user), match)
