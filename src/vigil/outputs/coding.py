"""Violation codings of the victim's acts, read from `vigil.responses` when installed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldError
from django.db import DatabaseError

from vigil.outputs.forms import wgad_categories

if TYPE_CHECKING:
    from vigil.accounts.types import User

SUMMARY = "summary written for Vigil, not official text"


@dataclass(frozen=True)
class Coding:
    """One coded standard for one act, with the coder's rationale and review state."""

    act_id: Any
    standard: str
    summary: str
    rationale: str
    instrument: str = ""
    article: str = ""
    reviewed: bool = True
    rests_on_reader_comment: bool = False

    @property
    def wgad_category(self) -> str:
        return self.article if self.instrument == "WGAD" else ""

    @property
    def text(self) -> str:
        """ "WGAD category II — summary (summary written for Vigil…)", with its caveats."""
        summary = self.summary or wgad_categories().get(self.wgad_category, "")
        text = f"{self.standard} — {summary} ({SUMMARY})" if summary else self.standard
        if not self.reviewed:
            text += "; suggested by a Vigil coding rule, not yet reviewed by an analyst"
        if self.rests_on_reader_comment:
            text += "; rests on a reader's comment only"
        return text


class CodingUnavailable(Exception):
    """Violation coding is not part of this Vigil yet (app not installed or not migrated)."""


def codings_for(user: User, act_ids: list[Any]) -> list[Coding]:
    """Codings ``user`` may view of these acts, not rejected; CodingUnavailable without a model."""
    try:
        from vigil.responses.models import ViolationCoding
    except (ImportError, LookupError, RuntimeError) as exc:
        raise CodingUnavailable(str(exc)) from None
    try:
        from vigil.policy.access import restrict

        visible = restrict(
            user, "view", ViolationCoding.objects.filter(act_id__in=act_ids, is_synthetic=False)
        )
        rows = list(visible.exclude(status="rejected").select_related("standard"))
    except (FieldError, LookupError, RuntimeError, DatabaseError) as exc:
        raise CodingUnavailable(str(exc)) from None
    return [_coding(row) for row in rows]


def _coding(row: Any) -> Coding:
    standard = row.standard
    return Coding(
        act_id=row.act_id,
        standard=str(standard),
        summary=getattr(standard, "label", ""),
        rationale=row.rationale,
        instrument=getattr(standard, "instrument", ""),
        article=getattr(standard, "article", ""),
        reviewed=getattr(row, "status", "accepted") == "accepted",
        rests_on_reader_comment=bool(getattr(row, "rests_on_reader_comment", False)),
    )
