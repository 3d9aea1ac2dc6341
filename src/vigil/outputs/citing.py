"""Footnotes from the record's Information rows, numbered in the order the draft cites them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from vigil.core.models import CONFIDENTIALITY_ORDER, Confidentiality
from vigil.outputs.document import Footnote
from vigil.records.models import ClaimKind, Information

CLAIM_KIND_NOTES = {
    ClaimKind.READER_COMMENT: "reported only in a reader's comment",
    ClaimKind.DERIVED: "derived by an analyst",
}
UNVERIFIED = {"unverified_secondary"}
MIXED_CLAIMS = "some claims reported only in a reader's comment or derived (marked in the text)"
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


def source_identity(source: Any) -> tuple[str, ...]:
    """What makes two source records the same source: the same address, or, without one, the
    same title, publisher and date (identical sources recorded twice collapse into one)."""
    url = "".join((source.url or "").split())
    if url:
        # The scheme, a "www." and a trailing slash do not make another source; the path's case
        # may (addresses are case-sensitive after the host).
        parts = urlsplit(url if "//" in url else f"//{url}")
        host = parts.netloc.casefold().removeprefix("www.")
        path = parts.path.rstrip("/")
        return ("url", host, path, parts.query)
    title = " ".join((source.title or "").split()).casefold()
    publisher = " ".join((source.publisher or "").split()).casefold()
    date = getattr(source, "date", None)
    return ("title", title, publisher, str(date or ""))


class Citations:
    """Assigns footnote numbers; the same source, claim kind and quote share one number.

    Identical sources (:func:`source_identity`) are one source. With ``one_per_source`` (the
    case brief, whose list shows sources without quotes) every claim of a source shares one
    footnote, so no source is listed twice.
    """

    def __init__(self, *, one_per_source: bool = False) -> None:
        self.one_per_source = one_per_source
        self._numbers: dict[tuple[Any, ...], int] = {}
        self._sources: dict[tuple[str, ...], Any] = {}
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
        identity = source_identity(info.source)
        if self.one_per_source:
            key: tuple[Any, ...] = (identity,)
            if key in self._numbers:
                self._merge_claim_kind(self._numbers[key], info)
        else:
            key = (identity, info.claim_kind, reliability.pk if reliability else "", info.quote)
        if key not in self._numbers:
            n = len(self.footnotes) + 1
            self._numbers[key] = n
            # Identical sources show as the first one cited.
            source = self._sources.setdefault(identity, info.source)
            self.footnotes.append(
                Footnote(
                    n=n,
                    title=source.title,
                    url=source.url,
                    publisher=source.publisher,
                    reliability=reliability.label_en if reliability else "",
                    claim_kind=CLAIM_KIND_NOTES.get(ClaimKind(info.claim_kind), ""),
                    quote="" if self.one_per_source else info.quote,
                    unverified=bool(source.reliability and source.reliability.key in UNVERIFIED),
                )
            )
        return self._numbers[key]

    def _merge_claim_kind(self, n: int, info: Information) -> None:
        """One footnote for claims of several kinds: the note says only what all share."""
        note = CLAIM_KIND_NOTES.get(ClaimKind(info.claim_kind), "")
        footnote = self.footnotes[n - 1]
        if footnote.claim_kind != note and footnote.claim_kind != MIXED_CLAIMS:
            self.footnotes[n - 1] = replace(footnote, claim_kind=MIXED_CLAIMS)
