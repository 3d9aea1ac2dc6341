"""The model card's notes, written from a fit's stored figures in the page's language.

A fit stores its note in English (``ModelFit.note``, ``backtest["note"]``: the command prints
them and they stay with the record); the model card writes the same sentences again from the
figures the fit holds, through gettext, so a Belarusian or Russian page reads them in its own
language. The stored English text is these functions' output with translation off
(:func:`in_english`), so there is one wording of each sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.utils import translation
from django.utils.translation import gettext as _

from vigil.records.dates import format_day

T = TypeVar("T")


def in_english(write: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``write(*args, **kwargs)`` with translation off: the English text a fit stores."""
    with translation.override(None):
        return write(*args, **kwargs)


def points_reason(events: int, least: int) -> str:
    """Why the points baseline stands in for the model: too few events to fit it."""
    return _(
        "%(events)d events in the training rows; the model needs at least %(least)d: the "
        "points baseline stands in"
    ) % {"events": events, "least": least}


def fit_note(method: str, events: int, least: int, as_of: dt.date) -> str:
    """The note of a fit: none when the model was fitted; else why not and what would do."""
    if method == "model":
        return ""
    return _(
        "%(reason)s; %(more)d more events known before %(day)s would let the model be fitted"
    ) % {"reason": points_reason(events, least), "more": least - events, "day": format_day(as_of)}


def backtest_note(figures: Mapping[str, Any], least: int) -> str:
    """The note under the backtest: cut-offs where the model could not be fitted, and how
    persons from different sources were counted."""
    notes = []
    cutoffs = int(figures.get("cutoffs") or 0)
    fitted = int(figures.get("model_fitted_cutoffs") or 0)
    if fitted < cutoffs:
        notes.append(
            _(
                "At %(points)d of %(cutoffs)d cut-offs the training rows held fewer than "
                "%(least)d events: the model column shows the points baseline there; at least "
                "%(least)d events known before a cut-off are needed to fit it."
            )
            % {"points": cutoffs - fitted, "cutoffs": cutoffs, "least": least}
        )
    used = int(figures.get("links_used") or 0)
    if used and figures.get("links") == "confirmed":
        notes.append(
            _(
                "links_used %(n)d: persons linked across sources by a link a human confirmed "
                "count as one person (--links confirmed)."
            )
            % {"n": used}
        )
    elif used:
        notes.append(
            _(
                "links_used %(n)d: persons the names engine links across sources (offered "
                "links, not confirmed by a human) count as one person."
            )
            % {"n": used}
        )
    else:
        notes.append(
            _(
                "links_used 0: persons from different sources are counted separately (no "
                "links between sources were applied)."
            )
        )
    return " ".join(notes)
