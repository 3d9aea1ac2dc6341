"""Req 11, route level: every URL that takes an object id, replayed with another user's ids.

One documenter plants a fictional case at ``restricted`` or ``secret``, every record carrying a
unique canary. Users of other roles without grants then request every id-taking route (GET and
POST) with those ids, and every parameterless page: no response may hold the canary, none may
be a 5xx, and nothing planted may change. The owner and an administrator do see the records,
so the sweep can fail.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.urls import resolve
from django.utils import timezone

from tests.conftest import as_user
from tests.surface.routes import concrete_path, walk
from vigil.accounts.models import ApiToken, User
from vigil.accounts.testing import login_verified
from vigil.core.models import Version
from vigil.records.models import (
    Act,
    ActCharge,
    Case,
    Counsel,
    CustodyEvent,
    Event,
    EventLink,
    Evidence,
    ExternalId,
    Information,
    Intervention,
    Involvement,
    Organisation,
    OrganisationName,
    Participant,
    Person,
    PersonMerge,
    PersonName,
    Profession,
    Source,
    Statistic,
)

from . import factories as f

pytestmark = pytest.mark.django_db

ID_PARAMS = {"pk", "object_id", "person_id", "content_type_id"}
UNFILLED = "unfilled-id"
# Which planted record fills the id of each non-admin view.
TARGETS = {
    "vigil.web.views.person_detail": "person",
    "vigil.outputs.views.download": "person",
    "vigil.evidence.views.download": "evidence",
    "vigil.evidence.views.share": "evidence",
    "vigil.evidence.views.handling": "evidence",
    "vigil.responses.views.intervention_detail": "intervention",
    "vigil.responses.views.act_coding": "act",
    "vigil.responses.views.suggest_for_act": "act",
    "vigil.responses.views.decide_coding": "coding",
    "vigil.sanctions.views.review_decide": "match",
    "vigil.sanctions.views.review_undo": "match",
    "vigil.accounts.views.token_revoke": "token",
    "django.contrib.contenttypes.views.shortcut": "person",
    "vigil.web.record_views.organisation_detail": "organisation",
    "vigil.web.record_views.event_detail": "event",
    "vigil.web.record_views.case_detail": "case",
    "vigil.web.record_views.perpetrator_detail": "witness",  # the planted act's perpetrator
    "vigil.entry.views.person_edit": "person",
    "vigil.entry.case_views.case_edit": "case",
    "vigil.evidence.views.attach": "person",
    "vigil.web.merging.history": "person",
    "vigil.web.merging.undo": "merge",
    "vigil.web.merging.compare_persons": {"first": "person", "second": "duplicate"},
    "vigil.warning.views.register_status": "person",
    "vigil.protection.views.case_detail": "protection_case",
    "vigil.protection.views.case_identity": "protection_case",
    "vigil.protection.views.case_close": "protection_case",
    "vigil.protection.views.action_add": "protection_case",
    "vigil.protection.views.case_access": "protection_case",
    "vigil.protection.views.action_update": "protection_action",
    "vigil.protection.views.fund_detail": "defence_fund",
    "vigil.protection.views.grant_status": "fund_grant",
    "vigil.protection.views.grant_identity": "fund_grant",
    "vigil.solidarity.views.hearing_detail": "hearing",
    "vigil.solidarity.views.hearing_assign": "hearing",
    "vigil.solidarity.views.hearing_report": "hearing",
    "vigil.solidarity.views.monitoring_report": "case",
    "vigil.solidarity.views.statement_detail": "statement",
    "vigil.web.person_lists.detail": "person_list",
    "vigil.web.person_lists.map_columns": "person_list",
    "vigil.web.person_lists.run_detail": "link_run",
    "vigil.web.person_lists.run_estimate": "link_run",
    "vigil.web.person_lists.pair_decide": "link_pair",
}
OTHER_PARAMS = {"kind": "brief", "decision": "accept"}
# Parameters whose value depends on the view (the same name means another thing elsewhere).
VIEW_PARAMS = {"vigil.evidence.views.attach": {"kind": "person"}}
# Admin pages of rows that carry no confidentiality of their own (users, the law, vocabularies).
EXEMPT_ADMIN = {
    "accounts.user",
    "auth.group",
    "records.legalprovision",
    "records.legalamendment",
    "records.term",
}
OUTSIDERS = {"restricted": ("viewer", "documenter"), "secret": ("viewer", "documenter", "analyst")}


@dataclass
class Planted:
    """A fictional case planted by one documenter; every record names the canary."""

    canary: str
    level: str
    by_key: dict[str, models.Model] = field(default_factory=dict)

    @property
    def records(self) -> list[models.Model]:
        return [o for k, o in self.by_key.items() if k != "token"]

    def for_model(self, model: type[models.Model]) -> models.Model | None:
        return next((o for o in self.records if type(o) is model), None)


def _user(role: str, name: str) -> User:
    return User.objects.create_user(
        username=name, password=None, role=role, is_staff=True, is_superuser=role == "admin"
    )


def _at(level: str, obj: models.Model) -> Any:
    return f.saved(obj, level)


def plant(owner: User, level: str) -> Planted:
    """Create the fictional case as ``owner``, at ``level``, canary in every record."""
    from vigil.responses.models import FollowUp, StateResponse, ViolationCoding

    canary = f"Canary{uuid.uuid4().hex[:12]}"
    p = Planted(canary, level)
    k = p.by_key
    with as_user(owner):
        k["person"] = _at(level, Person(display_name=f"Fictional Secretia {canary}", notes=canary))
        k["witness"] = _at(level, Person(display_name=f"Fictional Testis {canary}"))
        k["duplicate"] = _at(level, Person(display_name=f"Fictional Duplex {canary}"))
        k["name"] = _at(level, PersonName(person=k["person"], value=f"Fictional {canary}"))
        k["profession"] = _at(
            level,
            Profession(
                person=k["person"],
                profession_id=f.term("profession", "lawyer"),
                licence_number=canary,
            ),
        )
        k["external"] = _at(level, ExternalId(person=k["person"], scheme="fictional", value=canary))
        k["organisation"] = _at(level, Organisation(display_name=f"Fictional Bar {canary}"))
        k["org_name"] = _at(
            level, OrganisationName(organisation=k["organisation"], value=f"Fictional {canary}")
        )
        k["event"] = _at(level, Event(title=f"Fictional search {canary}"))
        k["event_link"] = _at(
            level,
            EventLink(
                from_event=k["event"],
                to_event=k["event"],
                relation_id=f.term("chain_relation", "follows"),
            ),
        )
        k["act"] = _at(
            level,
            Act(
                event=k["event"],
                victim_person=k["person"],
                act_type_id=f.term("act_type", "arrest"),
                date=dt.date(2021, 1, 1),
                description=canary,
            ),
        )
        k["charge"] = _at(
            level, ActCharge(act=k["act"], provision=f.provision(), text_as_written=canary)
        )
        k["involvement"] = _at(
            level,
            Involvement(
                act=k["act"],
                perpetrator_person=k["witness"],
                role_id=f.term("perpetrator_role", "judge"),
            ),
        )
        k["counsel"] = _at(level, Counsel(act=k["act"], lawyer=k["witness"]))
        k["participant"] = _at(level, Participant(act=k["act"], name_text=f"Fictional {canary}"))
        k["source"] = _at(
            level, Source(title=f"Fictional testimony {canary}", source_person=k["witness"])
        )
        k["evidence"] = _at(
            level,
            Evidence(
                source=k["source"],
                original_name=f"fictional-{canary}.pdf",
                stored_name=uuid.uuid4().hex,
                sha256="0" * 64,
                size=1,
            ),
        )
        k["custody"] = CustodyEvent.objects.create(
            evidence=k["evidence"], action="ingest", context_kind="test"
        )
        k["information"] = _at(
            level,
            Information(
                source=k["source"],
                target_type=ContentType.objects.get_for_model(Person),
                target_id=k["person"].pk,
                quote=canary,
            ),
        )
        k["case"] = _at(level, Case(title=f"Fictional case {canary}"))
        k["case"].persons.add(k["person"])
        k["intervention"] = _at(
            level,
            Intervention(
                intervention_type_id=f.term("intervention_type", "urgent_appeal"),
                title=f"Fictional appeal {canary}",
            ),
        )
        k["intervention"].persons.add(k["person"])
        k["statistic"] = _at(level, Statistic(subject=f"Fictional count {canary}", value=7))
        k["estimate"] = _at(level, f.stored_estimate(f"Fictional estimate {canary}"))
        k["merge"] = _at(
            level, PersonMerge(keep=k["person"], duplicate=k["duplicate"], reason=canary)
        )
        standard = f.violation_coding("internal").standard
        k["coding"] = _at(level, ViolationCoding(act=k["act"], standard=standard, rationale=canary))
        k["reply"] = _at(
            level,
            StateResponse(
                intervention=k["intervention"],
                summary=canary,
                response_id=f.term("state_response", "none"),
            ),
        )
        k["follow_up"] = _at(
            level, FollowUp(intervention=k["intervention"], due=dt.date(2020, 1, 1), action=canary)
        )
        _plant_solidarity(owner, level, canary, k)
        k["match"] = f.screening_match(level)
        k["match"].person = k["person"]
        k["match"].query_name = canary
        k["match"].save()
        _plant_protection(k, level, canary)
        _plant_lists(k, level, canary)
    k["token"] = ApiToken.objects.create(
        user=owner, name=canary, digest=uuid.uuid4().hex * 2, expires_at=timezone.now()
    )
    return p


def _plant_protection(k: dict[str, Any], level: str, canary: str) -> None:
    """A protection case, its action, a fund and a grant: the canary in names and identities."""
    from decimal import Decimal

    from vigil.protection.models import DefenceFund, FundGrant, ProtectionAction, ProtectionCase

    k["protection_case"] = _at(
        level,
        ProtectionCase(
            beneficiary_name=f"Fictional Beneficiarevich {canary}",
            beneficiary_contacts=canary,
            location=canary,
            threats=canary,
        ),
    )
    k["protection_action"] = _at(
        level, ProtectionAction(case=k["protection_case"], kind="legal_aid", note=canary)
    )
    k["defence_fund"] = _at(level, DefenceFund(name=f"Fictional Fund {canary}"))
    k["fund_grant"] = _at(
        level,
        FundGrant(
            fund=k["defence_fund"],
            beneficiary_name=f"Fictional Beneficiarevich {canary}",
            amount=Decimal("1"),
            currency="EUR",
            date=dt.date(2026, 1, 1),
            purpose="other",
            note=canary,
        ),
    )


def _plant_lists(k: dict[str, Any], level: str, canary: str) -> None:
    """Two stored lists whose rows name the canary, and a link run pairing their rows."""
    import json

    from vigil.counting.models import LinkPair, LinkRun, ListRow

    k["person_list"] = _at(level, f.person_list(f"Fictional list {canary}"))
    row = ListRow(list=k["person_list"], position=1, key="1")
    row.data = json.dumps({"name": f"Fictional Listed {canary}"})
    row.save()
    k["other_list"] = _at(level, f.person_list(f"Fictional other list {canary}"))
    other = ListRow(list=k["other_list"], position=1, key="1")
    other.data = json.dumps({"name": f"Fictional Listed {canary}"})
    other.save()
    k["list_row"] = row
    lists = [k["person_list"], k["other_list"]]
    k["link_run"] = _at(level, LinkRun(list_order=[str(p.pk) for p in lists]))
    k["link_run"].lists.set(lists)
    k["link_pair"] = LinkPair.objects.create(
        run=k["link_run"], left=row, right=other, probability=0.3, match=False, name_score=0.9
    )


def _plant_solidarity(owner: User, level: str, canary: str, k: dict[str, Any]) -> None:
    """A hearing of the planted case (soon, so the calendar would list it), its observer and
    report, and a statement about the planted person with a signatory."""
    from vigil.solidarity.models import (
        Hearing,
        ObservationReport,
        ObserverAssignment,
        Signatory,
        Statement,
    )

    k["hearing"] = _at(
        level,
        Hearing(
            case=k["case"],
            date=dt.date.today() + dt.timedelta(days=5),
            appeal_deadline=dt.date.today() + dt.timedelta(days=15),
            court=k["organisation"],
            judge=k["witness"],
            court_text=canary,
            notes=canary,
        ),
    )
    k["observer"] = _at(
        level, ObserverAssignment(hearing=k["hearing"], observer=owner, note=canary)
    )
    k["observation"] = _at(
        level, ObservationReport(hearing=k["hearing"], observer=owner, notes=canary)
    )
    k["statement"] = _at(
        level, Statement(title=f"Fictional statement {canary}", author_text=canary)
    )
    k["statement"].persons.add(k["person"])
    k["signatory"] = _at(level, Signatory(statement=k["statement"], name_text=canary))


@dataclass(frozen=True)
class Target:
    pattern: str
    path: str


def _filler(planted: Planted, unfilled: set[str]) -> Any:
    def value(name: str, converter: str, callback: Any) -> str:
        model_admin = getattr(callback, "model_admin", None)
        if name == "content_type_id":
            return str(ContentType.objects.get_for_model(Person).pk)
        if model_admin is not None and name == "object_id":
            obj = planted.for_model(model_admin.model)
        elif name in ID_PARAMS or converter == "uuid":
            key = TARGETS.get(f"{callback.__module__}.{callback.__name__}")
            if isinstance(key, dict):
                key = key.get(name)
            obj = planted.by_key.get(key) if key else None
        else:
            view = VIEW_PARAMS.get(f"{callback.__module__}.{callback.__name__}", {})
            return view.get(name) or OTHER_PARAMS.get(name, "no-such-thing")
        if obj is None:
            unfilled.add(model_admin.model._meta.label_lower if model_admin else callback.__name__)
            return UNFILLED
        return str(obj.pk)

    return value


def id_routes(planted: Planted) -> tuple[list[Target], set[str]]:
    """Every pattern taking an object id, filled with the planted records' ids."""
    unfilled: set[str] = set()
    found = []
    for text, pattern, converters in walk():
        params = set(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", text)) - {("", "")}
        names = {a or b for a, b in params}
        takes_id = names & ID_PARAMS or any(
            type(c).__name__ == "UUIDConverter" for c in converters.values()
        )
        if not takes_id:
            continue
        path = concrete_path(text, pattern, _filler(planted, unfilled), converters)
        if UNFILLED in path:
            continue
        assert resolve(path).func is pattern.callback, path
        found.append(Target(text, path))
    return found, unfilled


def page_routes() -> list[str]:
    """Every pattern without parameters (lists, home, reports), as a path."""
    paths = []
    for text, _pattern, _converters in walk():
        if "<" in text or "(?P" in text or "\\" in text:
            continue
        paths.append("/" + text.replace("^", "").replace("$", ""))
    return paths


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    return data.decode("utf-8", errors="replace")


def _signed_in(user: User, client: Client | None) -> Client:
    if client is None or SESSION_KEY not in client.session:
        client = login_verified(Client(raise_request_exception=False), user)
    return client


def _snapshot(planted: Planted) -> dict[str, Any]:
    state = {}
    for key, obj in planted.by_key.items():
        row = type(obj)._base_manager.filter(pk=obj.pk).values().get()
        row.pop("last_used_at", None)
        state[key] = row
    return state


@pytest.fixture
def route_users(db: Any) -> dict[str, User]:
    """The owner (a documenter), an administrator and outsiders of every role without grants."""
    return {
        "owner": _user("documenter", "fictional-route-owner"),
        "admin": _user("admin", "fictional-route-admin"),
        "viewer": _user("viewer", "fictional-route-viewer"),
        "documenter": _user("documenter", "fictional-route-colleague"),
        "analyst": _user("analyst", "fictional-route-analyst"),
    }


def test_req11_every_id_route_is_filled_with_a_planted_record(route_users):
    planted = plant(route_users["owner"], "secret")
    routes, unfilled = id_routes(planted)
    assert unfilled <= EXEMPT_ADMIN
    patterns = {r.pattern for r in routes}
    assert "persons/<uuid:pk>/" in patterns
    assert "outputs/<str:kind>/<uuid:person_id>.<draftformat:fmt>" in patterns
    assert "admin/records/source/<path:object_id>/change/" in patterns


@pytest.mark.slow  # every route and page requested for each role: ~2 s each
@pytest.mark.parametrize(
    ("level", "role"), [(level, role) for level in sorted(OUTSIDERS) for role in OUTSIDERS[level]]
)
def test_req11_route_sweep_shows_no_planted_record_to_other_users(route_users, level, role):
    planted = plant(route_users["owner"], level)
    before = _snapshot(planted)
    routes, _ = id_routes(planted)
    pages = [*page_routes(), "/persons/?q=Secretia"]
    client = None
    for target in routes:
        for method in ("get", "post"):
            client = _signed_in(route_users[role], client)
            response = getattr(client, method)(target.path)
            where = f"{role} {method.upper()} {target.path}: {response.status_code}"
            assert response.status_code < 500, where
            assert planted.canary not in _body(response), where
    for path in pages:
        client = _signed_in(route_users[role], client)
        response = client.get(path)
        assert response.status_code < 500, f"{role} GET {path}"
        assert planted.canary not in _body(response), f"{role} GET {path}"
    assert _snapshot(planted) == before
    assert Version.objects.filter(object_id=planted.by_key["person"].pk).count() == 1


@pytest.mark.slow  # every route requested by the owner and an administrator: ~2.5 s each
@pytest.mark.parametrize("level", sorted(OUTSIDERS))
def test_req11_owner_and_admin_do_see_the_planted_records(route_users, level):
    planted = plant(route_users["owner"], level)
    k = planted.by_key
    owner = login_verified(Client(), route_users["owner"])
    admin = login_verified(Client(), route_users["admin"])
    shown = [
        f"/persons/{k['person'].pk}/",
        "/persons/?q=Secretia",
        f"/responses/interventions/{k['intervention'].pk}/",
        f"/responses/acts/{k['act'].pk}/coding/",
        f"/evidence/{k['evidence'].pk}/custody/",
        f"/monitoring/hearings/{k['hearing'].pk}/",
        "/monitoring/",
        "/calendar/",
        f"/campaigns/{k['statement'].pk}/",
        "/campaigns/",
        f"/lists/{k['person_list'].pk}/",
        f"/lists/runs/{k['link_run'].pk}/",
        "/lists/",
    ]
    for client in (owner, admin):
        for path in shown:
            response = client.get(path)
            assert response.status_code == 200, path
            assert planted.canary in _body(response), path
    routes, _ = id_routes(planted)
    unseen = []
    for target in routes:
        if target.pattern.startswith("admin/") and target.pattern.endswith("/change/"):
            response = admin.get(target.path)
            assert response.status_code == 200, target.path
            if planted.canary not in _body(response):
                unseen.append(target.pattern)
    # A custody event names its file by id only; every other change page shows the canary.
    assert unseen == ["admin/records/custodyevent/<path:object_id>/change/"]
    draft = admin.get(f"/outputs/brief/{k['person'].pk}.docx")
    assert draft.status_code == 200
    assert draft["Content-Disposition"].startswith("attachment;")
