"""What a notification says: the kind of event and a link, never names, places or record text."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from vigil.policy.access import may_see_risk, restrict
from vigil.records.models import Act, Involvement

if TYPE_CHECKING:
    from vigil.accounts.types import User

TEXTS = {
    ("act.created", "person"): _("A new act was recorded for a person you watch"),
    ("act.created", "organisation"): _("A new act was recorded for an organisation you watch"),
    ("act.changed", "person"): _("An act was changed for a person you watch"),
    ("act.changed", "organisation"): _("An act was changed for an organisation you watch"),
    ("act.created", "case"): _("A new act was recorded in a case you watch"),
    ("act.changed", "case"): _("An act was changed in a case you watch"),
    ("term.ending", "person"): _("A prison term is about to end for a person you watch"),
    ("perpetrator.involved", "person"): _("A perpetrator you watch was linked to an act"),
    ("risk.threshold", "person"): _("A person you watch crossed the risk alert threshold"),
    ("perpetrator.involved", "organisation"): _("A perpetrator you watch was linked to an act"),
}
FALLBACK = _("Something changed on a record you watch")
PAGES = {"person": "web:person", "organisation": "web:organisation", "case": "web:case"}


def text_of(kind: str, record_type: str) -> str:
    """The one sentence saying what happened (in the active language)."""
    return str(TEXTS.get((kind, record_type), FALLBACK))


def path_of(record_type: str, record_id: str) -> str:
    """The page of the watched record (the policy applies there too)."""
    try:
        return reverse(PAGES[record_type], kwargs={"pk": record_id})
    except (KeyError, NoReverseMatch):
        return reverse("alerts:list")


def link_of(record_type: str, record_id: str) -> str:
    return settings.VIGIL_BASE_URL + path_of(record_type, record_id)


def visible_to(user: User, payload: dict[str, Any]) -> bool:
    """Whether ``user`` may see, now, the watched record and the act the payload names."""
    if not getattr(user, "is_active", False):
        return False
    model = ContentType.objects.get_by_natural_key("records", payload["record_type"]).model_class()
    if model is None:
        return False
    if not restrict(user, "view", model._default_manager.filter(pk=payload["record_id"])).exists():
        return False
    if payload.get("event") == "risk.threshold" and not may_see_risk(user):
        return False
    act_id = payload.get("act_id")
    if act_id and not restrict(user, "view", Act.objects.filter(pk=act_id)).exists():
        return False
    involvement_id = payload.get("involvement_id")
    return not involvement_id or (
        restrict(user, "view", Involvement.objects.filter(pk=involvement_id)).exists()
    )


def _language(user: User) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def email_of(user: User, payload: dict[str, Any]) -> tuple[str, str]:
    """Subject and body of the e-mail: what kind of thing happened and the link, nothing more."""
    with translation.override(_language(user)):
        sentence = text_of(payload["event"], payload["record_type"])
        subject = f"Vigil: {sentence}"
        body = "\n\n".join(
            [
                sentence + ".",
                str(_("Open it in Vigil (sign-in required):"))
                + "\n"
                + link_of(payload["record_type"], payload["record_id"]),
                str(_("You receive this because you watch this record in Vigil.")),
            ]
        )
    return subject, body + "\n"


def webhook_body(payload: dict[str, Any], delivery: str) -> bytes:
    """The JSON body of a webhook POST: event, record type and id, link; no record contents."""
    with translation.override(settings.LANGUAGE_CODE):
        message = text_of(payload["event"], payload["record_type"])
    body = {
        "delivery": delivery,
        "event": payload["event"],
        "message": message,
        "record": {"type": payload["record_type"], "id": payload["record_id"]},
        "act_id": payload.get("act_id"),
        "url": link_of(payload["record_type"], payload["record_id"]),
        "occurred_at": payload.get("occurred_at"),
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
