"""Which records a report counts: real, live, and no more confidential than a ceiling."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vigil.core.errors import ValidationFailed
from vigil.core.models import Confidentiality

LEVELS: tuple[str, ...] = tuple(c.value for c in Confidentiality)


@dataclass(frozen=True)
class Scope:
    """The records a report may count.

    ``ceiling`` is the most confidential level counted (default "internal": public and internal
    records). ``include_synthetic`` exists for the benchmark only, which times the report over
    generated data; no command or view exposes it, and every output leaves synthetic records out.
    """

    ceiling: str = Confidentiality.INTERNAL.value
    include_synthetic: bool = False

    def __post_init__(self) -> None:
        if self.ceiling not in LEVELS:
            raise ValidationFailed(
                f"Unknown confidentiality level {self.ceiling!r}; use one of {', '.join(LEVELS)}."
            )

    @property
    def levels(self) -> list[str]:
        """The confidentiality levels counted."""
        return list(LEVELS[: LEVELS.index(self.ceiling) + 1])

    def conditions(self, prefix: str = "") -> dict[str, Any]:
        """Filter keywords keeping the records (through ``prefix``) this scope counts."""
        found: dict[str, Any] = {
            f"{prefix}confidentiality__in": self.levels,
            f"{prefix}deleted_at__isnull": True,
        }
        if not self.include_synthetic:
            found[f"{prefix}is_synthetic"] = False
        return found

    def apply(self, queryset: Any, *prefixes: str) -> Any:
        """``queryset`` narrowed to in-scope records, and in-scope related records by prefix."""
        for prefix in ("", *prefixes):
            queryset = queryset.filter(**self.conditions(prefix))
        return queryset
