"""The store of cross-source links: offered by the names engine, confirmed by a human.

``refresh_offers`` stores the ZUBR ↔ other-source pairs the names engine offers (at or above
the operating threshold, no contradicting sex), keeping every earlier decision. A human
confirms or rejects an offer on the links page or with ``vigil warning links confirm ID``;
``confirmed_aliases`` gives the backtest (``--links confirmed``) only the confirmed ones.
Nothing is merged: the two records stay apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from vigil.accounts.auditing import audit
from vigil.core.errors import NotFound, ValidationFailed
from vigil.policy.access import require_risk, restrict
from vigil.records.models import Person
from vigil.warning.models import CrossSourceLink, LinkStatus

if TYPE_CHECKING:
    from vigil.accounts.types import User


def links_for(user: User, status: str | None = None) -> QuerySet[CrossSourceLink]:
    """The stored links ``user`` may see (both persons visible; risk roles only)."""
    rows = restrict(user, "view", CrossSourceLink.objects.all())
    if status:
        if status not in LinkStatus.values:
            raise ValidationFailed(
                f"Unknown status {status!r}: choose one of {', '.join(LinkStatus.values)}."
            )
        rows = rows.filter(status=status)
    return rows.select_related("zubr_person", "other_person")


def refresh_offers(user: User, threshold: float | None = None) -> dict[str, int]:
    """Store the names engine's current offers; earlier decisions are kept. Counts."""
    from vigil.importers.zubr_links import offer_links
    from vigil.names import OPERATING_THRESHOLD

    require_risk(user, "add", route="warning links offer")
    visible = set(restrict(user, "view", Person.objects.all()).values_list("pk", flat=True))
    offers = [
        o
        for o in offer_links(threshold=threshold or OPERATING_THRESHOLD, limit=3)
        if o.zubr_person in visible and o.other_person in visible
    ]
    known = set(CrossSourceLink.objects.values_list("zubr_person_id", "other_person_id"))
    now = timezone.now()
    new = [
        CrossSourceLink(
            zubr_person_id=o.zubr_person,
            other_person_id=o.other_person,
            score=round(o.score, 4),
            why=o.why[:200],
            offered_at=now,
        )
        for o in offers
        if (o.zubr_person, o.other_person) not in known
    ]
    with transaction.atomic():
        CrossSourceLink.objects.bulk_create(new)
    return {"offered": len(offers), "new": len(new)}


def decide_link(user: User, link_id: Any, decision: str) -> CrossSourceLink:
    """Confirm or reject one stored link (audited); a later decision replaces an earlier one."""
    require_risk(user, "change", route="warning links decide")
    if decision not in (LinkStatus.CONFIRMED, LinkStatus.REJECTED):
        raise ValidationFailed("Decide a link as confirmed or rejected.")
    try:
        link = links_for(user).get(pk=int(link_id))
    except (CrossSourceLink.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"No link {link_id} that you may see.") from None
    with transaction.atomic():
        link.status = decision
        link.decided_at = timezone.now()
        link.decided_by = user
        link.save(update_fields=["status", "decided_at", "decided_by"])
        audit("risk_link", actor=user, obj=link.zubr_person, decision=decision, route="links")
    return link


def confirmed_aliases(user: User) -> dict[str, str]:
    """Confirmed links as ``{zubr person: other person}``, one to one, best score first."""
    aliases: dict[str, str] = {}
    taken: set[str] = set()
    for zubr, other in links_for(user, LinkStatus.CONFIRMED).order_by("-score", "id").values_list(
        "zubr_person_id", "other_person_id"
    ):
        z, o = str(zubr), str(other)
        if z in aliases or o in taken:
            continue
        aliases[z] = o
        taken.add(o)
    return aliases
