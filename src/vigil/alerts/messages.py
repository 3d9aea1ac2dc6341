"""What a notification says: the kind of event and a link, never names, places or record text."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from vigil.core.chunks import chunked
from vigil.policy.access import may_see_risk, restrict

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
    ("hearing.due", "person"): _("A hearing is coming up for a person you watch"),
    ("hearing.due", "case"): _("A hearing is coming up in a case you watch"),
    ("follow_up.due", "person"): _("A follow-up is due on an intervention for a person you watch"),
    ("follow_up.due", "case"): _("A follow-up is due on an intervention in a case you watch"),
    ("sanctions.listed", "person"): _("A sanctions list now names a perpetrator you watch"),
    ("sanctions.listed", "organisation"): _("A sanctions list now names a perpetrator you watch"),
    ("sanctions.delisted", "person"): _("A sanctions list no longer names a perpetrator you watch"),
    ("sanctions.delisted", "organisation"): _(
        "A sanctions list no longer names a perpetrator you watch"
    ),
    ("response.received", "person"): _(
        "A state response was received on an intervention for a person you watch"
    ),
    ("response.received", "case"): _(
        "A state response was received on an intervention in a case you watch"
    ),
}
FALLBACK = _("Something changed on a record you watch")
CHUNK = 900  # ids per query (SQLite's limit on parameters is 999)
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


#: The payload's ids of the records an event concerns (besides the watched one), by model.
SUBJECTS = {
    "act_id": "records.act",
    "involvement_id": "records.involvement",
    "hearing_id": "solidarity.hearing",
    "intervention_id": "records.intervention",
    "follow_up_id": "responses.followup",
    "response_id": "responses.stateresponse",
    "match_id": "sanctions.screeningmatch",
}


def visible_to(user: User, payload: dict[str, Any]) -> bool:
    """Whether ``user`` may see, now, the watched record and every record the payload names."""
    if not getattr(user, "is_active", False):
        return False
    model = ContentType.objects.get_by_natural_key("records", payload["record_type"]).model_class()
    if model is None:
        return False
    if not restrict(user, "view", model._default_manager.filter(pk=payload["record_id"])).exists():
        return False
    if payload.get("event") == "risk.threshold" and not may_see_risk(user):
        return False
    for key, label in SUBJECTS.items():
        pk = payload.get(key)
        if not pk:
            continue
        subject = apps.get_model(label)
        if not restrict(user, "view", subject._default_manager.filter(pk=pk)).exists():
            return False
    return True


def visible_payloads(user: User, payloads: list[dict[str, Any]]) -> list[bool]:
    """:func:`visible_to` for many payloads at once: one query per kind of record named.

    A digest may list hundreds of events; this reads each model's visible ids in chunks
    instead of three queries per event, with the same rules.
    """
    if not getattr(user, "is_active", False):
        return [False] * len(payloads)
    wanted: dict[str, set[str]] = {}
    for p in payloads:
        wanted.setdefault(f"records.{p['record_type']}", set()).add(str(p["record_id"]))
        for key, label in SUBJECTS.items():
            if p.get(key):
                wanted.setdefault(label, set()).add(str(p[key]))
    seen: dict[str, set[str]] = {}
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            seen[label] = set()
            continue
        ordered, found = sorted(ids), set()
        for chunk in chunked(ordered, CHUNK):
            rows = model._default_manager.filter(pk__in=chunk)
            found |= {str(pk) for pk in restrict(user, "view", rows).values_list("pk", flat=True)}
        seen[label] = found
    risk = may_see_risk(user)
    out = []
    for p in payloads:
        ok = str(p["record_id"]) in seen[f"records.{p['record_type']}"]
        ok = ok and (p.get("event") != "risk.threshold" or risk)
        for key, label in SUBJECTS.items():
            if ok and p.get(key):
                ok = str(p[key]) in seen[label]
        out.append(ok)
    return out


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


def digest_email(user: User, payloads: list[dict[str, Any]], day: str) -> tuple[str, str]:
    """Subject and body of a daily digest: each kind of event once per record, with its link.

    Like a single e-mail it says what kind of thing happened and links to it; a record with
    several events of one kind is one line with the count.
    """
    counts: dict[tuple[str, str, str], int] = {}
    for p in payloads:
        key = (p["event"], p["record_type"], p["record_id"])
        counts[key] = counts.get(key, 0) + 1
    with translation.override(_language(user)):
        subject = str(_("Vigil: your daily digest of %(day)s")) % {"day": day}
        lines = [str(_("What happened on the records you watch:")), ""]
        for (event, record_type, record_id), n in counts.items():
            sentence = text_of(event, record_type)
            lines.append(f"- {sentence}" + (f" (×{n})" if n > 1 else ""))
            lines.append(f"  {link_of(record_type, record_id)}")
        lines += [
            "",
            str(_("Open them in Vigil (sign-in required).")),
            str(
                _(
                    "You receive one digest a day because you chose it in Vigil; "
                    "you can change this on the notification settings page."
                )
            ),
        ]
    return subject, "\n".join(lines) + "\n"


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
