"""A user's iCalendar feed: revocable tokens (only a digest stored) and the RFC 5545 text."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone, translation

from vigil.policy import feed_tokens
from vigil.solidarity.calendar import CalendarItem, items, window
from vigil.solidarity.models import CalendarToken

if TYPE_CHECKING:
    from vigil.accounts.types import User

FEED_DAYS = 400
FEED_PAST_DAYS = 30
ROUTE = "solidarity:feed"


def issue(user: User) -> str:
    """A new feed token for ``user`` (shown once); earlier ones are revoked."""
    return feed_tokens.issue(CalendarToken, user, ROUTE)


def revoke(user: User) -> int:
    """Revoke every active feed token of ``user``; the number revoked."""
    return feed_tokens.revoke(CalendarToken, user, ROUTE)


def active(user: User) -> CalendarToken | None:
    return feed_tokens.active(CalendarToken, user)


def user_for(token: str) -> User | None:
    """The active user a feed token belongs to, or None (revoked, unknown, disabled user)."""
    return feed_tokens.user_for(CalendarToken, token)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets folded as RFC 5545 says."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += b
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def ics(user: User, today: dt.date | None = None) -> str:
    """The feed of ``user``: a month back to about a year ahead, titles as the policy allows."""
    first = (today or dt.date.today()) - dt.timedelta(days=FEED_PAST_DAYS)
    start, end = window(first, FEED_DAYS)
    base = getattr(settings, "VIGIL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Vigil//Calendar//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Vigil",
    ]
    with translation.override("en"):
        for item in items(user, start, end):
            lines += _event(item, base, stamp)
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def _event(item: CalendarItem, base: str, stamp: str) -> list[str]:
    day = item.date.strftime("%Y%m%d")
    after = (item.date + dt.timedelta(days=1)).strftime("%Y%m%d")
    return [
        "BEGIN:VEVENT",
        f"UID:{item.uid}@vigil",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day}",
        f"DTEND;VALUE=DATE:{after}",
        f"SUMMARY:{_escape(item.feed_title)}",
        f"URL:{item.link if item.link.startswith(('http://', 'https://')) else base + item.link}",
        "END:VEVENT",
    ]
