"""Which records a report counts: real, live, no more confidential than a ceiling, and visible.

Every queryset a figure reads goes through :meth:`Coverage.apply`, which cuts it to what the
acting user may view under the one policy (and each related record named by a prefix too):
a record hidden from the user never counts, dates a period or names a source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vigil.core.errors import ValidationFailed
from vigil.core.models import Confidentiality
from vigil.policy.access import restrict

if TYPE_CHECKING:
    from vigil.accounts.types import User

LEVELS: tuple[str, ...] = tuple(c.value for c in Confidentiality)


@dataclass(frozen=True)
class Coverage:
    """The records a report may count for ``user``.

    ``user`` is the acting user; the policy decides what of the record they may view.
    ``ceiling`` is the most confidential level counted (default "internal": public and internal
    records). ``include_synthetic`` exists for the benchmark only, which times the report over
    generated data; no command or view exposes it, and every output leaves synthetic records out.
    """

    user: User
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
        """Filter keywords keeping the records (through ``prefix``) this coverage counts."""
        found: dict[str, Any] = {
            f"{prefix}confidentiality__in": self.levels,
            f"{prefix}deleted_at__isnull": True,
        }
        if not self.include_synthetic:
            found[f"{prefix}is_synthetic"] = False
        return found

    def apply(self, queryset: Any, *prefixes: str) -> Any:
        """``queryset`` narrowed to covered records the user may view, related ones by prefix."""
        for prefix in ("", *prefixes):
            queryset = queryset.filter(**self.conditions(prefix))
        queryset = restrict(self.user, "view", queryset)
        for prefix in prefixes:
            path = prefix.removesuffix("__")
            related = _related_model(queryset.model, path)
            visible = restrict(self.user, "view", related._base_manager.all()).values("pk")
            queryset = queryset.filter(**{f"{path}__in": visible})
        return queryset


def _related_model(model: Any, path: str) -> Any:
    """The model at the end of a ``a__b`` relation path from ``model``."""
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model
