"""Every URL pattern of the project as a concrete path, filled with real object ids."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, resolve

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")


@dataclass(frozen=True)
class Route:
    """One URL pattern and a path that resolves to it."""

    pattern: str
    path: str
    callback: Any


def walk(
    patterns: list[Any] | None = None, prefix: str = "", converters: dict[str, Any] | None = None
) -> Iterator[tuple[str, URLPattern, dict[str, Any]]]:
    """(full pattern text, pattern, its converters) for every URLPattern, recursively."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        found = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), found)
        else:
            yield prefix + str(entry.pattern), entry, found


def _custom(converter: Any) -> str | None:
    """A value for a project-defined converter whose regex is a list of literals."""
    regex = getattr(converter, "regex", "")
    first = regex.split("|")[0]
    return first if first and re.fullmatch(r"[\w.-]+", first) else None


def _regex_value(name: str, body: str, value: Callable[[str, str, Any], str], cb: Any) -> str:
    if "|" in body or body.isalnum():
        return body.split("|")[0]  # an alternation of literals: take the first
    return value(name, "str", cb)


def concrete_path(
    text: str,
    pattern: URLPattern,
    value: Callable[[str, str, Any], str],
    converters: dict[str, Any] | None = None,
) -> str:
    """Fill the parameters of a pattern's text using ``value(name, converter, callback)``."""
    cb = pattern.callback
    custom = {name: _custom(c) for name, c in (converters or {}).items()}
    parts = text.split("^")
    path = "".join(p.rstrip("$") for p in parts)
    path = _REGEX_GROUP.sub(lambda m: _regex_value(m["name"], m["body"], value, cb), path)
    path = _ROUTE_PARAM.sub(
        lambda m: custom.get(m["name"]) or value(m["name"], m["converter"] or "str", cb), path
    )
    return "/" + path


def all_routes(value: Callable[[str, str, Any], str]) -> list[Route]:
    """Every pattern with a path that resolves back to that same pattern's view."""
    routes = []
    for text, pattern, converters in walk():
        path = concrete_path(text, pattern, value, converters)
        match = resolve(path)
        if match.func is not pattern.callback:
            # django-ninja registers one pattern per group of operations on the same path;
            # Django serves one of them for the path, which the sweep then requests.
            assert match.route == text, f"{path} (built for {text}) resolves elsewhere"
            continue
        routes.append(Route(text, path, pattern.callback))
    return routes


def fallback_value(name: str, converter: str, callback: Any) -> str:
    """A syntactically valid value for a parameter no real object was given for."""
    if converter == "uuid":
        return str(uuid.uuid4())
    if converter == "int":
        return "1"
    return "no-such-thing"
