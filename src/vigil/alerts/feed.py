"""A user's Atom feed of their notifications, behind a revocable token in its address.

The token works like the calendar feed's (:mod:`vigil.policy.feed_tokens`): only its
SHA-256 is stored, a new one revokes the old, both are audited. The feed is built at read time
from :func:`~vigil.alerts.notifications.visible_notifications`, so it never shows what the
policy no longer lets the user see; each entry says the kind of event and links to the
watched record, never a name, a place or record text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from vigil.alerts.messages import link_of, text_of
from vigil.alerts.models import FeedToken
from vigil.alerts.notifications import visible_notifications
from vigil.policy import feed_tokens

if TYPE_CHECKING:
    from vigil.accounts.types import User

ROUTE = "alerts:feed"
FEED_ENTRIES = 100


def issue(user: User) -> str:
    """A new feed token for ``user`` (shown once); earlier ones are revoked."""
    return feed_tokens.issue(FeedToken, user, ROUTE)


def revoke(user: User) -> int:
    """Revoke the user's feed tokens; the number revoked."""
    return feed_tokens.revoke(FeedToken, user, ROUTE)


def active(user: User) -> FeedToken | None:
    return feed_tokens.active(FeedToken, user)


def user_for(token: str) -> User | None:
    """The active user a feed token belongs to, or None."""
    return feed_tokens.user_for(FeedToken, token)


def atom(user: User, token: str) -> str:
    """The Atom document of ``user``'s latest notifications they may see now."""
    base = settings.VIGIL_BASE_URL
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    rows = visible_notifications(user).select_related("target_type")[:FEED_ENTRIES]
    with translation.override(language):
        feed = Atom1Feed(
            title=_("Vigil: your notifications"),
            link=base + reverse("alerts:list"),
            description="",
            language=language,
            feed_url=base + reverse("alerts:feed", kwargs={"token": token}),
            feed_guid=f"urn:uuid:{user.pk}",
        )
        for n in rows:
            record_type = n.target_type.model
            feed.add_item(
                title=text_of(n.kind, record_type),
                link=link_of(record_type, str(n.target_id)),
                description="",
                unique_id=f"urn:uuid:{n.pk}",
                unique_id_is_permalink=False,
                pubdate=n.created_at,
                updateddate=n.created_at,
                categories=[n.kind],
            )
        return feed.writeString("utf-8")
