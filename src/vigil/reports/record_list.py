"""The organisation's own record as a stored list (``vigil lists from-record``, /lists/): the
persons a user may view, of one "How many?" category, copied into encrypted list rows."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from vigil.core.errors import ValidationFailed
from vigil.core.models import CONFIDENTIALITY_ORDER, Confidentiality
from vigil.counting.list_import import ParsedRow
from vigil.counting.stored_lists import RECORD_CATEGORIES, Added, add_record_rows, checked_name
from vigil.records.models import Person
from vigil.reports.coverage import Coverage
from vigil.reports.howmany import documented_person_ids

if TYPE_CHECKING:
    from vigil.accounts.types import User

_SEX = {"male": "m", "female": "f"}


def list_from_record(
    user: User, name: str, as_of: dt.date, category: str = "all", *, description: str = ""
) -> Added:
    """The organisation's own record as a list: the persons ``user`` may view (real, live),
    of ``category``; names, birth dates and sex copied into encrypted rows, the person's id as
    the key. As confidential as its most confidential person, and at least restricted."""
    name = checked_name(name)
    if category not in RECORD_CATEGORIES:
        raise ValidationFailed(
            f"unknown category {category!r}; use one of {', '.join(RECORD_CATEGORIES)}"
        )
    coverage = Coverage(user, ceiling=Confidentiality.SECRET)
    persons = coverage.apply(Person.objects.all())
    if category != "all":
        persons = persons.filter(pk__in=documented_person_ids(category, coverage))
    found = list(
        persons.order_by("pk").values_list(
            "pk", "display_name", "birth_date", "sex", "birth_place", "confidentiality"
        )
    )
    if not found:
        raise ValidationFailed("the record holds no person of that category you may view")
    rows = [
        ParsedRow(str(pk), 0, _fields(shown, born, sex, place))
        for pk, shown, born, sex, place, _ in found
    ]
    level = max(
        (lvl for *_, lvl in found),
        key=CONFIDENTIALITY_ORDER.__getitem__,
        default=Confidentiality.RESTRICTED,
    )
    return add_record_rows(user, name, as_of, rows, level, category, description)


def _fields(shown: str, born: dt.date | None, sex: str | None, place: str | None) -> dict[str, str]:
    values = (
        ("name", shown),
        ("birth_date", born.isoformat() if born else ""),
        ("sex", _SEX.get(sex or "", "")),
        ("place", place or ""),
    )
    return {k: v for k, v in values if v}
