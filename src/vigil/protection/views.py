"""Thin pages of protection cases and defence funds: parse, call one service, render."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.accounts.stepup import step_up_required
from vigil.core.errors import NotFound, StepUpRequired, VigilError
from vigil.policy.access import allows, restrict, role_of
from vigil.policy.identity import reveal_all
from vigil.protection import cases, funds
from vigil.protection.access import CASE_IDENTITY, grant_access, holders, may_see_identity
from vigil.protection.chart import spending_svg
from vigil.protection.models import (
    ActionKind,
    ActionStatus,
    Disbursement,
    FundGrant,
    GrantPurpose,
    ProtectionAction,
    Urgency,
)

if TYPE_CHECKING:
    from vigil.accounts.types import SignedInRequest


def _found(call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except NotFound:
        raise Http404 from None


def _may_add(request: HttpRequest) -> bool:
    return role_of(request.user) in {"admin", "coordinator", "analyst", "documenter"}


def _user_choices(request: HttpRequest) -> list[Any]:
    users = get_user_model().objects.filter(is_active=True).exclude(role="")
    return list(users.order_by("username"))


def _user(pk: str) -> Any:
    from django.core.exceptions import ValidationError

    if not pk:
        return None
    try:
        return get_user_model().objects.filter(pk=pk, is_active=True).first()
    except (TypeError, ValueError, ValidationError):
        return None


@login_required
def board(request: SignedInRequest) -> HttpResponse:
    """Open cases by urgency, named by pseudonym only."""
    context = {"rows": cases.board(request.user), "may_add": _may_add(request)}
    return render(request, "protection/board.html", context)


def _case_form_context(values: dict[str, Any]) -> dict[str, Any]:
    return {"values": values, "urgencies": Urgency.choices}


@login_required
def case_new(request: SignedInRequest) -> HttpResponse:
    """Open a protection case (the identity is encrypted and granted to whoever types it)."""
    if not _may_add(request):
        raise Http404
    values = {k: request.POST.get(k, "") for k in request.POST} if request.method == "POST" else {}
    if request.method == "POST":
        try:
            case = cases.open_case(
                request.user,
                beneficiary_name=values.get("beneficiary_name", ""),
                beneficiary_contacts=values.get("beneficiary_contacts", ""),
                location=values.get("location", ""),
                dependants=values.get("dependants", ""),
                urgency=values.get("urgency") or Urgency.HIGH,
                threats=values.get("threats", ""),
                needs=values.get("needs", ""),
                confidentiality=values.get("confidentiality") or "restricted",
            )
        except VigilError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, str(case))
            return redirect("protection:case", case.pk)
    return render(request, "protection/case_form.html", _case_form_context(values))


def _case_context(request: SignedInRequest, case: Any, identity: dict[str, str] | None) -> Any:
    may_change = allows(request.user, "change", case)
    may_grant = allows(request.user, "grant", case)
    return {
        "case": case,
        "actions": cases.visible_actions(request.user, case).select_related("owner"),
        "grants": funds.visible_grants(request.user).filter(case=case).select_related("fund"),
        "identity": identity,
        "may_see_identity": may_see_identity(request.user, case),
        "may_change": may_change,
        "may_grant": may_grant,
        "holders": holders(case) if may_grant else [],
        "users": _user_choices(request) if may_change or may_grant else [],
        "kinds": ActionKind.choices,
        "statuses": ActionStatus.choices,
        "urgencies": Urgency.choices,
    }


@login_required
def case_detail(request: SignedInRequest, pk: uuid.UUID) -> HttpResponse:
    """A case under its pseudonym: assessment, actions, grants, outcome; identity on request."""
    case = _found(cases.get_case, request.user, pk)
    if request.method == "POST":
        if not allows(request.user, "change", case):
            raise Http404
        try:
            cases.update_assessment(
                request.user,
                case,
                urgency=request.POST.get("urgency", case.urgency),
                threats=request.POST.get("threats", case.threats),
                needs=request.POST.get("needs", case.needs),
            )
        except VigilError as exc:
            messages.error(request, exc.message)
        return redirect("protection:case", case.pk)
    return render(request, "protection/case.html", _case_context(request, case, None))


@login_required
@step_up_required()
def case_identity(request: SignedInRequest, pk: uuid.UUID) -> HttpResponse:
    """Reveal (GET) or change (POST) who the beneficiary is: explicit grant, audited."""
    case = _found(cases.get_case, request.user, pk)
    if not may_see_identity(request.user, case):
        raise Http404
    try:
        if request.method == "POST":
            identity: dict[str, Any] = {f: request.POST.get(f, "") for f in CASE_IDENTITY}
            cases.update_assessment(request.user, case, **identity)
            messages.success(request, str(case))
        identity = cases.reveal_identity(request.user, case, request)
    except StepUpRequired:
        raise
    except VigilError as exc:
        messages.error(request, exc.message)
        return redirect("protection:case", case.pk)
    return render(request, "protection/case.html", _case_context(request, case, identity))


@login_required
@require_POST
def case_close(request: SignedInRequest, pk: uuid.UUID) -> HttpResponse:
    """Close a case with its outcome, or reopen it."""
    case = _found(cases.get_case, request.user, pk)
    if not allows(request.user, "change", case):
        raise Http404
    try:
        if request.POST.get("reopen"):
            cases.reopen_case(request.user, case)
        else:
            cases.close_case(request.user, case, request.POST.get("outcome", ""))
    except VigilError as exc:
        messages.error(request, exc.message)
    return redirect("protection:case", case.pk)


@login_required
@require_POST
def action_add(request: SignedInRequest, pk: uuid.UUID) -> HttpResponse:
    """Add an action to a case."""
    case = _found(cases.get_case, request.user, pk)
    if not allows(request.user, "change", case):
        raise Http404
    try:
        cases.add_action(
            request.user,
            case,
            kind=request.POST.get("kind", ""),
            owner=_user(request.POST.get("owner", "")),
            due=request.POST.get("due", ""),
            note=request.POST.get("note", ""),
        )
    except VigilError as exc:
        messages.error(request, exc.message)
    return redirect("protection:case", case.pk)


@login_required
@require_POST
def action_update(request: SignedInRequest, pk: uuid.UUID) -> HttpResponse:
    """Change an action's status."""
    action = restrict(request.user, "view", ProtectionAction.objects.all()).filter(pk=pk).first()
    if action is None or not allows(request.user, "change", action):
        raise Http404
    try:
        cases.update_action(request.user, action, status=request.POST.get("status", ""))
    except VigilError as exc:
        messages.error(request, exc.message)
    return redirect("protection:case", action.case_id)


@login_required
@require_POST
@step_up_required()
def case_access(request: SignedInRequest, pk: uuid.UUID) -> HttpResponse:
    """Grant a user access to the beneficiary's identity (coordinators, step-up)."""
    case = _found(cases.get_case, request.user, pk)
    if not allows(request.user, "grant", case):
        raise Http404
    user = _user(request.POST.get("user", ""))
    try:
        if user is None:
            raise NotFound("No such user.")
        grant_access(request.user, user, case, request=request)
    except StepUpRequired:
        raise
    except VigilError as exc:
        messages.error(request, exc.message)
    return redirect("protection:case", case.pk)


# --- funds ----------------------------------------------------------------------------------


def _charts(spent: list[funds.Spent], title: str) -> list[Any]:
    currencies = sorted({s.currency for s in spent})
    return [spending_svg(spent, title=f"{title} ({c})", currency=c) for c in currencies]


@login_required
def fund_list(request: SignedInRequest) -> HttpResponse:
    """Funds, totals by fund, year and purpose, and what was spent on what (no beneficiary)."""
    if request.method == "POST":
        if not _may_add(request):
            raise Http404
        try:
            fund = funds.create_fund(
                request.user,
                name=request.POST.get("name", ""),
                currency=request.POST.get("currency", "EUR"),
                description=request.POST.get("description", ""),
            )
        except VigilError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("protection:fund", fund.pk)
    spent = funds.spending_by_purpose(request.user)
    context = {
        "funds": funds.visible_funds(request.user),
        "totals": funds.grant_totals(request.user),
        "charts": _charts(spent, _("Disbursed by purpose")),
        "may_add": _may_add(request),
    }
    return render(request, "protection/funds.html", context)


@login_required
def fund_detail(request: SignedInRequest, pk: uuid.UUID) -> HttpResponse:
    """One fund: its grants under pseudonyms, totals, chart and the form to record a grant."""
    fund = _found(funds.get_fund, request.user, pk)
    if request.method == "POST":
        if not _may_add(request):
            raise Http404
        case = None
        if request.POST.get("case"):
            try:
                case = cases.get_case(request.user, uuid.UUID(request.POST["case"]))
            except (ValueError, NotFound):
                messages.error(request, _("No protection case with this id."))
                return redirect("protection:fund", fund.pk)
        try:
            funds.record_grant(
                request.user,
                fund,
                amount=request.POST.get("amount", ""),
                date=request.POST.get("date", ""),
                purpose=request.POST.get("purpose", ""),
                currency=request.POST.get("currency") or None,
                case=case,
                beneficiary_name=request.POST.get("beneficiary_name", ""),
                status=request.POST.get("status") or Disbursement.APPROVED,
                note=request.POST.get("note", ""),
            )
        except VigilError as exc:
            messages.error(request, exc.message)
        return redirect("protection:fund", fund.pk)
    spent = funds.spending_by_purpose(request.user, fund=fund)
    grants = list(funds.visible_grants(request.user).filter(fund=fund).select_related("case"))
    context = {
        "fund": fund,
        "grants": grants,
        "granted": funds.named_identities_granted(request.user, grants),
        "totals": funds.grant_totals(request.user, fund=fund),
        "charts": _charts(spent, _("Disbursed by purpose")),
        "cases": cases.visible_cases(request.user).filter(status="open"),
        "purposes": GrantPurpose.choices,
        "statuses": Disbursement.choices,
        "may_add": _may_add(request) and allows(request.user, "view", fund),
        "may_change": _may_add(request),
    }
    return render(request, "protection/fund.html", context)


@login_required
@require_POST
def grant_status(request: SignedInRequest, pk: uuid.UUID) -> HttpResponse:
    """Mark a grant approved, disbursed or cancelled."""
    grant = restrict(request.user, "view", FundGrant.objects.all()).filter(pk=pk).first()
    if grant is None or not allows(request.user, "change", grant):
        raise Http404
    try:
        funds.set_disbursement(request.user, grant, request.POST.get("status", ""))
    except VigilError as exc:
        messages.error(request, exc.message)
    return redirect("protection:fund", grant.fund_id)


@login_required
@step_up_required()
def grant_identity(request: SignedInRequest, pk: uuid.UUID) -> HttpResponse:
    """Who a grant without a protection case was for: explicit grant, step-up, audited."""
    grant = _found(funds.get_grant, request.user, pk)
    if grant.case_id is not None:
        return redirect("protection:case-identity", grant.case_id)
    if not may_see_identity(request.user, grant):
        raise Http404
    try:
        identity = reveal_all(request.user, grant, request)
    except StepUpRequired:
        raise
    except VigilError as exc:
        messages.error(request, exc.message)
        return redirect("protection:fund", grant.fund_id)
    return render(request, "protection/grant_identity.html", {"grant": grant, "identity": identity})


@login_required
@step_up_required()
def auditor_export(request: SignedInRequest, fmt: str) -> HttpResponse:
    """Every grant the user may export, beneficiaries pseudonymised, age-encrypted."""
    try:
        result = funds.auditor_export(request.user, fmt, request=request)
    except StepUpRequired:
        raise
    except VigilError as exc:
        messages.error(request, exc.message)
        return redirect("protection:funds")
    response = HttpResponse(result.data, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response
