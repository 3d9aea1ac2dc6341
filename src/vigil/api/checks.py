"""What needs a human, as JSON: the API twin of `vigil check-record` and /checks/."""

from typing import Literal, get_args

from django.http import HttpRequest
from ninja import Query, Router, Schema

from vigil.api.auth import api_user
from vigil.api.present import choice
from vigil.api.schemas.common import ErrorOut
from vigil.records.checks import check_kind, check_record

router = Router(tags=["checks"])

Kind = Literal[
    "two_primary_names",
    "two_arrests_one_date",
    "source_about_someone_else",
    "perpetrator_not_screened",
    "term_ended_no_release",
    "likely_duplicate",
    "needs_review",
]
KINDS: tuple[Kind, ...] = get_args(Kind)


class FindingOut(Schema):
    """One thing a human should look at (docs/figures.md, "Checks of the record")."""

    kind: Kind
    record: str
    detail: str
    url: str


class CheckFilters(Schema):
    """Only one kind of finding (all kinds when left out)."""

    kind: Kind | None = None


@router.get(
    "/checks",
    response={200: list[FindingOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
)
def get_checks(request: HttpRequest, filters: Query[CheckFilters]) -> list[FindingOut]:
    """What in the record needs a human, among the records the user may view (admins and
    coordinators; others get 403)."""
    user = api_user(request)
    if filters.kind:
        found = check_kind(user, filters.kind, route="api:checks")
    else:
        found = check_record(user, route="api:checks")
    return [
        FindingOut(kind=choice(f.kind, KINDS), record=f.record, detail=f.detail, url=f.url)
        for f in found
    ]
