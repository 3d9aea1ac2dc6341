"""Stored lists: add a list from a file with a column mapping, or from the organisation's own
record; find the lists a user may use; read a list's rows back (decrypted) for linking.

A list's rows are written once, in one transaction, and never rewritten. Adding the same rows
again under the same name and date changes nothing (idempotent); other rows under that name and
date are refused — a new version of a source is a list of its own, with its own date.
Rows are encrypted (``ListRow.data``), the list restricted by default, every write checked by
the one policy and audited (``list_import``: counts, never contents).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from vigil.core.day_input import parse_day
from vigil.core.errors import NotFound, ValidationFailed
from vigil.core.models import CONFIDENTIALITY_ORDER, Confidentiality
from vigil.counting.list_import import (
    FIELDS,
    ParsedRow,
    check_mapping,
    read_header,
    read_rows,
    rows_digest,
)
from vigil.counting.models import ListKind, ListRow, ListStatus, PersonList
from vigil.counting.person_lists import ListedPerson
from vigil.policy.access import restrict, save_checked
from vigil.policy.auditing import audit

if TYPE_CHECKING:
    from vigil.accounts.types import User

#: What the organisation's own record can be listed by (the "How many?" categories and all).
RECORD_CATEGORIES = ("all", "detained", "political_prisoners", "lawyers_persecuted")


@dataclass(frozen=True)
class Added:
    """The list, and whether this call wrote it (False: the same rows were there already)."""

    list: PersonList
    created: bool


def parse_date(text: str) -> dt.date:
    """The list's date, typed in the page's pattern (17.06.2022 in Belarusian and Russian) or
    ISO; a clear error naming the pattern otherwise."""
    day = parse_day(text)
    if day is None:
        raise ValidationFailed(_("Give the date of the list."))
    return day


def checked_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationFailed("a list needs a name")
    if len(name) > 200:
        raise ValidationFailed("a list's name is at most 200 characters")
    return name


def _level(level: str) -> str:
    if level not in CONFIDENTIALITY_ORDER:
        raise ValidationFailed(
            f"unknown confidentiality {level!r}; use one of {', '.join(CONFIDENTIALITY_ORDER)}"
        )
    return level


def add_list(
    user: User,
    name: str,
    as_of: dt.date,
    text: str,
    mapping: dict[str, str],
    *,
    description: str = "",
    confidentiality: str = Confidentiality.RESTRICTED,
) -> Added:
    """Add a list from a CSV file's text read under ``mapping`` (atomic, idempotent)."""
    name = checked_name(name)
    rows = read_rows(text, mapping, name)
    about = description.strip()
    return _store(user, name, as_of, rows, ListKind.FILE, about, confidentiality, mapping)


def start_upload(
    user: User,
    name: str,
    as_of: dt.date,
    text: str,
    *,
    description: str = "",
    confidentiality: str = Confidentiality.RESTRICTED,
) -> PersonList:
    """Keep an uploaded file (encrypted) until its column mapping is chosen."""
    name = checked_name(name)
    header = read_header(text, name)
    plist = PersonList(
        name=name,
        as_of=as_of,
        kind=ListKind.FILE,
        status=ListStatus.MAPPING,
        description=description.strip(),
        header=header,
        confidentiality=_level(confidentiality),
    )
    plist.pending = text
    return save_checked(user, "add", plist)


def finish_upload(user: User, plist: PersonList, mapping: dict[str, str]) -> Added:
    """Import the rows of an upload under the chosen mapping; the file's text is then dropped."""
    if plist.status != ListStatus.MAPPING or plist.pending is None:
        raise ValidationFailed("this list has its rows already")
    check_mapping(mapping, list(plist.header), plist.name)
    rows = read_rows(str(plist.pending), mapping, plist.name)
    with transaction.atomic():
        same = _existing(user, plist.name, plist.as_of, rows_digest(rows))
        if same is not None:
            save_checked(user, "delete", plist, reason="the same rows were stored already")
            return Added(same, False)
        return Added(_fill(user, plist, rows, mapping), True)


def _existing(user: User, name: str, as_of: dt.date, digest: str) -> PersonList | None:
    """The ready list of this name and date: itself when its rows are these, else refused."""
    found = PersonList.objects.filter(name=name, as_of=as_of, status=ListStatus.READY).first()
    if found is None:
        return None
    if found.digest == digest and restrict(user, "view", PersonList.objects.filter(
            pk=found.pk)).exists():
        return found
    raise ValidationFailed(
        f"a list {name!r} of {as_of:%Y-%m-%d} exists with other rows; a list is never "
        "rewritten — add the new version under its own date or name"
    )


def _fill(
    user: User, plist: PersonList, rows: list[ParsedRow], mapping: dict[str, str]
) -> PersonList:
    plist.mapping = mapping
    plist.digest = rows_digest(rows)
    plist.row_count = len(rows)
    plist.status = ListStatus.READY
    plist.pending = None
    save_checked(user, "add" if plist._state.adding else "change", plist)
    ListRow.objects.bulk_create(
        [
            _row(plist, n, r.key, r.line, r.fields)
            for n, r in enumerate(rows, start=1)
        ],
        batch_size=1000,
    )
    audit("list_import", actor=user, obj=plist, count=len(rows), result="ok")
    return plist


def _row(plist: PersonList, position: int, key: str, line: int, fields: dict[str, str]) -> Any:
    row = ListRow(list=plist, position=position, key=key, line=line)
    row.data = json.dumps(fields, ensure_ascii=False, sort_keys=True)
    return row


def add_record_rows(
    user: User,
    name: str,
    as_of: dt.date,
    rows: list[ParsedRow],
    level: str,
    category: str,
    description: str = "",
) -> Added:
    """Store rows taken from the organisation's own record as a list (see
    ``vigil.reports.record_list``): at least restricted; the same rows again change nothing."""
    name = checked_name(name)
    if CONFIDENTIALITY_ORDER[level] < CONFIDENTIALITY_ORDER[Confidentiality.RESTRICTED]:
        level = Confidentiality.RESTRICTED
    about = description.strip() or f"record: {category}"
    return _store(user, name, as_of, rows, ListKind.RECORD, about, level, {"category": category})


def _store(
    user: User,
    name: str,
    as_of: dt.date,
    rows: list[ParsedRow],
    kind: str,
    description: str,
    level: str,
    mapping: dict[str, str],
) -> Added:
    """The ready list of this name, date and rows if there is one; else a new list of them."""
    with transaction.atomic():
        same = _existing(user, name, as_of, rows_digest(rows))
        if same is not None:
            return Added(same, False)
        plist = PersonList(
            name=name,
            as_of=as_of,
            kind=kind,
            description=description,
            confidentiality=_level(level),
        )
        return Added(_fill(user, plist, rows, mapping), True)


def visible_lists(user: User, *, ready: bool = True) -> Any:
    """The stored lists ``user`` may view (ready ones, unless ``ready`` is False)."""
    lists = restrict(user, "view", PersonList.objects.all())
    return lists.filter(status=ListStatus.READY) if ready else lists


def find_list(user: User, ref: str, *, ready: bool = True) -> PersonList:
    """A list ``user`` may view by id, or by name (the newest of that name)."""
    import uuid

    lists = visible_lists(user, ready=ready)
    try:
        found = lists.filter(pk=uuid.UUID(ref)).first()
    except ValueError:
        found = lists.filter(name=ref.strip()).order_by("-as_of").first()
    if found is None:
        raise NotFound(f"no stored list {ref!r} you may view")
    return found


def rows_of(plist: PersonList) -> list[tuple[ListRow, ListedPerson]]:
    """Every row of the list, decrypted, as a person to link (key = the row's position)."""
    out = []
    for row in plist.rows.order_by("position"):
        fields = row.fields()
        person = ListedPerson(
            id=str(row.position),
            name=fields.get("name", ""),
            birth_date=fields.get("birth_date", ""),
            sex=fields.get("sex", ""),
        )
        out.append((row, person))
    return out


def shown_fields() -> tuple[str, ...]:
    """The list fields, in order, as pages show them (the key first)."""
    return FIELDS
