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


# --- why a backtest could not be run ------------------------------------------------------
# A fit whose backtest failed stores the reason's code and figures (``backtest["error_code"]``,
# ``["error_values"]``) beside its English text (``backtest["error"]``, what the command
# prints): the model card writes the reason again in the page's language from them.

NO_ACTS = "no_acts"
NO_WINDOW = "no_window"
HORIZON = "horizon_not_positive"
NO_SIGNAL = "no_signal"
NO_PERSONS = "no_persons"


def backtest_error(code: str, values: Mapping[str, Any], day: Callable[[str], str] = str) -> str:
    """Why the backtest could not be run, for the reason ``code`` with its ``values``
    (``day`` writes the days, stored as "YYYY-MM-DD": as they are for the command)."""
    if code == NO_ACTS:
        return _("The record holds no dated acts on persons the account may see.")
    if code == NO_WINDOW:
        return _(
            "No cut-off to test: --from %(start)s is after --to %(end)s (the record runs from "
            "%(first)s to %(last)s; a cut-off needs %(horizon)d days after it)."
        ) % {
            "start": day(values["start"]),
            "end": day(values["end"]),
            "first": day(values["first"]),
            "last": day(values["last"]),
            "horizon": int(values["horizon"]),
        }
    if code == HORIZON:
        return _("--horizon must be a positive number of days.")
    if code == NO_SIGNAL:
        return _("No person has a signal before the last cut-off.")
    if code == NO_PERSONS:
        return _("No cut-off between --from and --to has persons at risk.")
    raise ValueError(f"No backtest error {code!r}")


def stored_backtest_error(backtest: Mapping[str, Any]) -> str:
    """The reason a fit's stored backtest failed, in the page's language, its days in words;
    a fit stored before the reasons had codes: its English text recognised, or a sentence
    that says only that the backtest could not be run (never its English text, nor a code)."""
    code, values = backtest.get("error_code"), backtest.get("error_values") or {}
    if code is None:
        text = backtest.get("error")
        code = next(
            (c for c in (NO_ACTS, HORIZON, NO_SIGNAL, NO_PERSONS)
             if text == in_english(backtest_error, c, {})),
            None,
        )  # fmt: skip
    try:
        return backtest_error(str(code), values, lambda iso: format_day(dt.date.fromisoformat(iso)))
    except (ValueError, KeyError, TypeError):
        return _("The backtest could not be run on the record as it then was.")
