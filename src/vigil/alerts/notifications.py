"""In-app notifications: those a user may still see, the unread count, marking read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from vigil.alerts.models import Notification
from vigil.alerts.watching import WATCHABLE
from vigil.core.statements import Statement
from vigil.policy.access import may_see_risk, restrict

if TYPE_CHECKING:
    from vigil.accounts.types import User


def visible_notifications(user: User) -> QuerySet[Notification]:
    """The user's notifications about records the policy lets them view now."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    condition = Q(pk__in=[])
    for model in WATCHABLE:
        ct = ContentType.objects.get_for_model(model)
        visible = restrict(user, "view", model._default_manager.all()).values("pk")
        condition |= Q(target_type=ct, target_id__in=visible)
    rows = Notification.objects.filter(recipient=user).filter(condition)
    if not may_see_risk(user):  # a role that lost the right to risk scores loses these too
        rows = rows.exclude(kind="risk.threshold")
    return rows


# Whether the user has an unread notification at all: every signed-in page asks (the bell), so
# the statement is compiled once per process and database (``vigil.core.statements``).
_ANY_UNREAD = Statement(
    Notification,
    [Notification._meta.get_field("recipient")],
    lambda recipient: Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    .order_by()
    .values_list("pk")[:1],
)


def unread_count(user: User) -> int:
    """Unread notifications about records ``user`` may view now (one query when none)."""
    if not getattr(user, "is_authenticated", False) or not _ANY_UNREAD.rows(user.pk):
        return 0
    return visible_notifications(user).filter(read_at__isnull=True).count()


def mark_read(user: User, notification_id: str | None = None) -> int:
    """Mark one (or, without an id, every) notification of ``user`` read; how many changed."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())
