"""What people read for the sanctions codes: list names, decisions and the gap's standings.

Machine codes (``eu-765``, ``ofac-sdn``, ``not_found``) stay identifiers in CSV and JSON;
pages, PDFs and dossiers show these labels, in the active language.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vigil.records.dates import display_date

if TYPE_CHECKING:
    from vigil.sanctions.models import SanctionsList

# The list kinds `vigil sanctions import` reads (``lists.KINDS``), as a person names them.
LIST_LABELS = {
    "eu-765": _("EU Belarus list (Reg. 765/2006)"),
    "ofac-sdn": _("US OFAC SDN list"),
    "un": _("UN Security Council list"),
    "ftm": _("FollowTheMoney entities"),
}

# Who issues a list (``SanctionsList.issuer``, ``gap.MAJOR_ISSUERS``), as a person names them.
ISSUER_LABELS = {"EU": _("EU"), "UK": _("UK"), "US": _("US"), "UN": _("UN")}

# A perpetrator's standing in the gap report, in the order the report lists them.
STANDINGS = ("listed", "candidate", "not_found", "not_screened")
STANDING_LABELS = {
    "listed": _("listed"),
    "candidate": _("candidate awaiting review"),
    "not_found": _("not found"),
    "not_screened": _("not screened yet"),
}


def list_label(lst: SanctionsList) -> str:
    """The list as a person names it: "EU Belarus list (Reg. 765/2006)".

    A list imported under its own name (``--name``) keeps that name after the kind's label;
    a list of an unknown kind is shown by its name.
    """
    known = LIST_LABELS.get(lst.kind)
    if known is None:
        return lst.name
    if lst.name != lst.kind:
        return f"{known} — {lst.name}"
    return str(known)


def issuer_label(issuer: str) -> str:
    """The issuer of a list in the active language ("EU": "ЕС"); an unknown one as stored."""
    known = ISSUER_LABELS.get(issuer)
    return issuer if known is None else str(known)


def version_label(lst: SanctionsList) -> str:
    """The list's version date in the active language's format, or "date unknown"."""
    return local_date(lst.version_date) or gettext("date unknown")


def local_date(value: dt.date | str | None) -> str:
    """A date (or an ISO date text, as the lists store it) in the active language ("4 August
    2011", "4 жніўня 2011"); a year ("1970") or a month ("1970-05") at its own precision.

    Text that is no date is returned as given.
    """
    if not value:
        return ""
    if isinstance(value, dt.date):
        return display_date(value, "day")
    for length, precision, pad in ((4, "year", "-01-01"), (7, "month", "-01"), (10, "day", "")):
        if len(value) == length:
            try:
                return display_date(dt.date.fromisoformat(value + pad), precision)
            except ValueError:
                return value
    return value
