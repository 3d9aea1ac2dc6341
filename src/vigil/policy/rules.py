"""The rules as data: role × action × confidentiality → reach, and its pure evaluation.

A reach says which records of that confidentiality a role may act on:

- ``ALL``: every such record;
- ``GRANTED``: those linked to a case on which the user holds an active grant whose level is
  at least the record's confidentiality;
- ``OWN_OR_GRANTED``: those the user created, or granted as above;
- ``NONE`` (or absent): none. Anything not written here is denied.

Publishing (holding ``add``/``change`` on *public* records) belongs to coordinators and
admins: a documenter's or analyst's save that makes a record public falls out of their
permitted set and is rolled back.
"""

from __future__ import annotations

from enum import Enum

from vigil.core.models import CONFIDENTIALITY_ORDER

LEVELS: tuple[str, ...] = ("public", "internal", "restricted", "secret")
ACTIONS: tuple[str, ...] = (
    "view",
    "add",
    "change",
    "delete",
    "reveal_identity",
    "export",
    "grant",
)
ROLES: tuple[str, ...] = ("admin", "coordinator", "analyst", "documenter", "viewer")


class Reach(Enum):
    NONE = "-"
    ALL = "all"
    GRANTED = "granted"
    OWN_OR_GRANTED = "own/granted"


_ = Reach.NONE
A = Reach.ALL
G = Reach.GRANTED
OG = Reach.OWN_OR_GRANTED


def _row(public: Reach, internal: Reach, restricted: Reach, secret: Reach) -> dict[str, Reach]:
    return dict(zip(LEVELS, (public, internal, restricted, secret), strict=True))


#                                    public internal restricted secret
RULES: dict[str, dict[str, dict[str, Reach]]] = {
    "viewer": {
        "view": _row(A, A, G, G),
        "export": _row(A, _, _, _),
    },
    "documenter": {
        # Documenters read back what they recorded, even a restricted witness statement.
        "view": _row(A, A, OG, OG),
        "add": _row(_, OG, OG, OG),
        "change": _row(_, OG, OG, OG),
        "export": _row(A, _, _, _),
        "reveal_identity": _row(_, OG, OG, OG),
    },
    "analyst": {
        "view": _row(A, A, A, G),
        "add": _row(_, A, A, G),
        "change": _row(_, A, A, G),
        "export": _row(A, A, A, G),
        "reveal_identity": _row(_, G, G, G),
    },
    "coordinator": {
        "view": _row(A, A, A, G),
        "add": _row(A, A, A, G),
        "change": _row(A, A, A, G),
        "delete": _row(A, A, A, G),
        "export": _row(A, A, A, G),
        "reveal_identity": _row(A, A, A, G),
        "grant": _row(A, A, A, G),
    },
    "admin": {action: _row(A, A, A, A) for action in ACTIONS},
}


#: Risk scores and everything stored with them (the watched register, fits, scores, cross-source
#: links: ``Kind.RISK``) are confidential early-warning information with a rule of their own:
#: the roles that act on the findings see them, for the persons they may view; documenters and
#: viewers never do. Anything not written here is denied.
RISK_RULES: dict[str, frozenset[str]] = {
    "view": frozenset({"admin", "coordinator", "analyst"}),
    "add": frozenset({"admin", "coordinator", "analyst"}),
    "change": frozenset({"admin", "coordinator", "analyst"}),
}


def risk_allowed(role: str | None, action: str) -> bool:
    """Whether ``role`` may ``action`` risk information (deny by default)."""
    return role is not None and role in RISK_RULES.get(action, frozenset())


def reach_for(role: str, action: str, level: str) -> Reach:
    """The reach the table gives ``role`` for ``action`` on records at ``level``."""
    return RULES.get(role, {}).get(action, {}).get(level, Reach.NONE)


def grant_covers(grant_level: str | None, level: str) -> bool:
    """Whether a grant of ``grant_level`` lifts a record at ``level``."""
    if grant_level is None:
        return False
    return CONFIDENTIALITY_ORDER[grant_level] >= CONFIDENTIALITY_ORDER[level]


def decide(role: str, action: str, level: str, *, own: bool, grant_level: str | None) -> bool:
    """Pure evaluation of the table for one record (the oracle the queries must agree with)."""
    reach = reach_for(role, action, level)
    if reach is Reach.ALL:
        return True
    if reach is Reach.GRANTED:
        return grant_covers(grant_level, level)
    if reach is Reach.OWN_OR_GRANTED:
        return own or grant_covers(grant_level, level)
    return False


def render_table() -> str:
    """The rules table as Markdown, for the security documentation."""
    lines = [
        "| role | action | " + " | ".join(LEVELS) + " |",
        "|---|---|" + "---|" * len(LEVELS),
    ]
    for role in ROLES:
        for action in ACTIONS:
            row = [reach_for(role, action, level).value for level in LEVELS]
            if any(cell != Reach.NONE.value for cell in row):
                lines.append(f"| {role} | {action} | " + " | ".join(row) + " |")
    return "\n".join(lines)
