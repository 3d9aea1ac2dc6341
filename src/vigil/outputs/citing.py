"""Footnotes from the record's Information rows, numbered in the order the draft cites them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from vigil.core.models import CONFIDENTIALITY_ORDER, Confidentiality
from vigil.outputs.document import Footnote
from vigil.records.models import ClaimKind, Information

CLAIM_KIND_NOTES = {
    ClaimKind.READER_COMMENT: "reported only in a reader's comment",
    ClaimKind.DERIVED: "derived by an analyst",
}
UNVERIFIED = {"unverified_secondary"}
# Restricted and secret sources (witnesses) never leave Vigil in a draft by default.
MAX_LEVEL = CONFIDENTIALITY_ORDER[Confidentiality.INTERNAL]


def shareable(info: Information) -> bool:
    """Whether a claim's source may be cited in a draft that leaves Vigil."""
    source = info.source
    return (
        not info.is_synthetic
        and not source.is_synthetic
        and source.deleted_at is None
        and CONFIDENTIALITY_ORDER[info.confidentiality] <= MAX_LEVEL
        and CONFIDENTIALITY_ORDER[source.confidentiality] <= MAX_LEVEL
    )


def only_reader_comments(infos: Iterable[Information]) -> bool:
    """True when every (shareable) claim is a reader's comment: the fact needs that warning."""
    kinds = [i.claim_kind for i in infos if shareable(i)]
    return bool(kinds) and all(k == ClaimKind.READER_COMMENT for k in kinds)


class Citations:
    """Assigns footnote numbers; the same source, claim kind and quote share one number."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[Any, ...], int] = {}
        self.footnotes: list[Footnote] = []
        self.withheld: set[Any] = set()

    def cite(self, infos: Iterable[Information]) -> tuple[int, ...]:
        """The footnote numbers for these claims, creating footnotes on first use."""
        refs: list[int] = []
        for info in infos:
            if not shareable(info):
                self.withheld.add(info.source_id)
                continue
            n = self._number(info)
            if n not in refs:
                refs.append(n)
        return tuple(refs)

    def _number(self, info: Information) -> int:
        reliability = info.reliability or info.source.reliability
        if reliability is not None and reliability.key == "reader_comment":
            # The claim kind says "reader's comment"; the reliability then is the source's.
            reliability = info.source.reliability
        key = (info.source_id, info.claim_kind, reliability.pk if reliability else "", info.quote)
        if key not in self._numbers:
            n = len(self.footnotes) + 1
            self._numbers[key] = n
            source = info.source
            self.footnotes.append(
                Footnote(
                    n=n,
                    title=source.title,
                    url=source.url,
                    publisher=source.publisher,
                    reliability=reliability.label_en if reliability else "",
                    claim_kind=CLAIM_KIND_NOTES.get(ClaimKind(info.claim_kind), ""),
                    quote=info.quote,
                    unverified=bool(source.reliability and source.reliability.key in UNVERIFIED),
                )
            )
        return self._numbers[key]
