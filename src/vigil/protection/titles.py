"""Titles of protection records for the change history (``vigil.core.titles``): a case only
ever by its pseudonym ("Case P-0007"), never by its beneficiary; the encrypted fields are not
even read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext

from vigil.core.titles import Kind, Title, Titles, View, label_of, owned, plain, register_titles
from vigil.protection.models import DefenceFund, FundGrant, ProtectionAction, ProtectionCase

CASE = label_of(ProtectionCase)
FUND = label_of(DefenceFund)


def _case(case: Any) -> Title:
    return Title(
        gettext("Case %(p)s") % {"p": case.pseudonym}, reverse("protection:case", args=[case.pk])
    )


def _action(action: Any, case: Title) -> str:
    """ "Legal aid for Case P-0007" (opening the case)."""
    return gettext("%(action)s for %(case)s") % {
        "action": capfirst(str(action.get_kind_display())),
        "case": case.text,
    }


def _read_grants(view: View, ids: list[str]) -> tuple[Any, Mapping[str, Iterable[Any]]]:
    grants = list(
        view(FundGrant.objects.filter(pk__in=ids)).only("pk", "number", "fund_id", "case_id")
    )
    return grants, {FUND: [g.fund_id for g in grants], CASE: [g.case_id for g in grants]}


def _name_grants(grants: Any, titles: Titles) -> dict[str, Title]:
    """ "Grant G-0003 from the Fictional Fund for Case P-0001": the fund and the case's
    pseudonym (a grant to a named person: its own, "beneficiary B-0003"), opening the fund's
    page; a case the user may not view is not named."""
    funds, cases = titles(FUND), titles(CASE)
    found = {}
    for g in grants:
        fund = funds.get(str(g.fund_id))
        case = cases.get(str(g.case_id)) if g.case_id else None
        if g.case_id is None:
            who = gettext("beneficiary %(p)s") % {"p": g.beneficiary_pseudonym}
        else:
            who = case.text if case is not None else ""
        values = {"ref": g.reference, "fund": fund.text if fund else "", "who": who}
        if fund is not None and who:
            text = gettext("Grant %(ref)s from %(fund)s for %(who)s") % values
        elif fund is not None:
            text = gettext("Grant %(ref)s from %(fund)s") % values
        else:
            text = gettext("Grant %(ref)s") % values
        url = fund.url if fund is not None else case.url if case is not None else None
        found[str(g.pk)] = Title(text, url)
    return found


def register() -> None:
    """Name protection records in the change history (the app's ``ready``)."""
    register_titles(ProtectionCase, plain(ProtectionCase, ("number",), _case))
    register_titles(
        DefenceFund,
        plain(
            DefenceFund,
            ("name",),
            lambda f: Title(f.name, reverse("protection:fund", args=[f.pk])),
        ),
    )
    register_titles(
        ProtectionAction,
        owned(ProtectionAction, "case_id", ProtectionCase, _action, fields=("kind",)),
    )
    register_titles(FundGrant, Kind(_read_grants, _name_grants, (FUND, CASE)))
