"""The client's address, also behind trusted proxies (``VIGIL_TRUSTED_PROXIES``).

``REMOTE_ADDR`` is the immediate peer. Only when that peer is a trusted proxy is
``X-Forwarded-For`` read, from the right: each trusted hop is skipped and the first untrusted
one is the client (the left part of the header is whatever the client chose to send, so it is
never believed). With no trusted proxies (the default) the header is ignored entirely.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "unknown"


def parse_networks(value: str | Iterable[str]) -> tuple[Network, ...]:
    """Addresses and networks (``10.0.0.2``, ``10.0.0.0/24``, ``::1``) from a comma list."""
    items = value.split(",") if isinstance(value, str) else list(value)
    networks = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"VIGIL_TRUSTED_PROXIES: {item!r} is not an IP address or network "
                "(e.g. 10.0.0.2 or 10.0.0.0/24)."
            ) from exc
    return tuple(networks)


@functools.cache
def _trusted(value: str | tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(value)


def trusted_proxies() -> tuple[Network, ...]:
    value = getattr(settings, "TRUSTED_PROXIES", "")
    return _trusted(value if isinstance(value, str) else tuple(value))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
    return address is not None and any(address in net for net in trusted_proxies())


def client_address(request: HttpRequest | None) -> str:
    """The address the request came from: the peer, or, behind trusted proxies, the right-most
    untrusted hop of ``X-Forwarded-For``."""
    if request is None:
        return UNKNOWN
    peer = str(request.META.get("REMOTE_ADDR") or "").strip()
    if not peer:
        return UNKNOWN
    if not trusted_proxies() or not _is_trusted(_address(peer)):
        return peer
    hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    hops = [h for h in hops if h]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # Garbage where an address should be: whoever wrote it is not a proxy we trust,
            # and nothing to its left can be believed. Count the peer that handed it over.
            return peer
        if not _is_trusted(address):
            return str(address)
    # Every hop is a trusted proxy (or there is no header): the left-most is the client.
    first = _address(hops[0]) if hops else None
    return str(first) if first is not None else peer
