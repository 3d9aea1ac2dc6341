"""Solidarity: statements and letters, their signatories, the persons and cases they concern."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet

from vigil.core.errors import Forbidden, ValidationFailed
from vigil.core.models import VigilModel
from vigil.policy.access import reference_allows, restrict, save_checked
from vigil.records.models import Case, Organisation, Person
from vigil.solidarity.models import EndangeredLawyerDay, Signatory, Statement, StatementKind

if TYPE_CHECKING:
    from vigil.accounts.types import User


@dataclass(frozen=True)
class StatementInput:
    title: str
    kind: str = StatementKind.STATEMENT
    date: dt.date | None = None
    author: Any = None
    author_text: str = ""
    url: str = ""
    summary: str = ""
    edition_year: int | None = None
    followed: str = ""
    followed_date: dt.date | None = None
    persons: list[Any] = field(default_factory=list)
    cases: list[Any] = field(default_factory=list)
    signatories: list[str] = field(default_factory=list)
    confidentiality: str = "internal"


def _visible(user: User, model: type[VigilModel], pks: list[Any], what: str) -> list[Any]:
    pks = [getattr(p, "pk", p) for p in pks if p not in (None, "")]
    found = list(restrict(user, "view", model.objects.filter(pk__in=pks)))
    if len(found) != len(set(map(str, pks))):
        raise ValidationFailed(f"No {what} with one of these ids.")
    return found


def add_statement(user: User, data: StatementInput) -> Statement:
    """Record a statement by an organisation or a named author, about persons and cases."""
    title = data.title.strip()
    if not title:
        raise ValidationFailed("A statement has a title.")
    if data.kind not in StatementKind.values:
        raise ValidationFailed(f"Unknown kind of statement {data.kind!r}.")
    author = _visible(user, Organisation, [data.author], "organisation") if data.author else []
    if not author and not data.author_text.strip():
        raise ValidationFailed("Say who made the statement: an organisation or a name.")
    edition = None
    if data.edition_year is not None:
        edition = EndangeredLawyerDay.objects.filter(year=data.edition_year).first()
        if edition is None:
            raise ValidationFailed(f"No Day of the Endangered Lawyer {data.edition_year} recorded.")
    persons = _visible(user, Person, data.persons, "person")
    cases = _visible(user, Case, data.cases, "case")
    statement = Statement(
        title=title[:300],
        kind=data.kind,
        date=data.date,
        author=author[0] if author else None,
        author_text=data.author_text.strip()[:300],
        url=data.url.strip()[:500],
        summary=data.summary.strip(),
        edition=edition,
        followed=data.followed.strip(),
        followed_date=data.followed_date,
        confidentiality=data.confidentiality,
    )
    with transaction.atomic():
        save_checked(user, "add", statement)
        statement.persons.set(persons)
        statement.cases.set(cases)
        for name in data.signatories:
            if name.strip():
                save_checked(
                    user,
                    "add",
                    Signatory(
                        statement=statement,
                        name_text=name.strip()[:300],
                        confidentiality=statement.confidentiality,
                    ),
                )
    return statement


def statements(user: User) -> QuerySet[Statement]:
    """Statements the user may see, newest first."""
    qs = Statement.objects.select_related("author", "edition")
    return restrict(user, "view", qs).order_by("-date", "title")


def statements_about(user: User, person: Person) -> list[Statement]:
    """Statements concerning ``person`` (directly or through one of their cases) the user sees."""
    qs = Statement.objects.filter(persons=person) | Statement.objects.filter(cases__persons=person)
    return list(statements(user).filter(pk__in=qs.values("pk")))


def signatories(user: User, statement: Statement) -> list[Signatory]:
    qs = Signatory.objects.filter(statement=statement).select_related("organisation")
    return list(restrict(user, "view", qs))


def concerned(user: User, statement: Statement) -> tuple[list[Person], list[Case]]:
    """The persons and cases a statement concerns, those the user may see."""
    persons = list(restrict(user, "view", statement.persons.all()))
    cases = list(restrict(user, "view", statement.cases.all()))
    return persons, cases


def editions() -> list[EndangeredLawyerDay]:
    """The Day of the Endangered Lawyer editions recorded, newest first."""
    return list(EndangeredLawyerDay.objects.all())


def add_edition(user: User, year: int, focus_country: str, theme: str = "") -> EndangeredLawyerDay:
    """Record one edition (24 January of ``year``) and its focus country (ISO 3166 alpha-2)."""
    if not reference_allows(user, "add"):
        raise Forbidden("You may not record an edition.")
    country = focus_country.strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise ValidationFailed("The focus country is a two-letter ISO code (BY, TR, ...).")
    if not 2009 <= year <= 2100:
        raise ValidationFailed("The Day of the Endangered Lawyer is held since 2009.")
    edition, _ = EndangeredLawyerDay.objects.update_or_create(
        year=year, defaults={"focus_country": country, "theme": theme.strip()[:300]}
    )
    return edition


def edition_exists(year: int) -> bool:
    return EndangeredLawyerDay.objects.filter(year=year).exists()


def persons_with_statements(user: User, person_ids: list[Any]) -> set[Any]:
    """Which of ``person_ids`` a statement the user may see concerns (directly or by a case).

    The response gap counts these as a statement of solidarity; both ends of each link pass
    the policy, so a statement about a hidden case never counts.
    """
    seen = statements(user).values("pk")
    found = set(
        Statement.persons.through.objects.filter(
            statement_id__in=seen, person_id__in=person_ids
        ).values_list("person_id", flat=True)
    )
    cases = restrict(user, "view", Case.objects.all()).values("pk")
    about_cases = Statement.cases.through.objects.filter(
        statement_id__in=seen, case_id__in=cases
    ).values("case_id")
    found |= set(
        Case.persons.through.objects.filter(
            case_id__in=about_cases, person_id__in=person_ids
        ).values_list("person_id", flat=True)
    )
    return found
