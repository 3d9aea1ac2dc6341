"""What the pickers offer: vocabulary terms in the user's language, known legal provisions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import get_language

from vigil.records.models import LegalProvision, Term

# Vocabularies the entry forms pick from (others are not offered by these endpoints).
PICKABLE = (
    "act_type",
    "detention_regime",
    "organisation_kind",
    "perpetrator_role",
    "source_reliability",
    "source_type",
)
_CODE_NAMES = {
    "criminal": "of the Criminal Code",
    "administrative": "of the Code of Administrative Offences",
}
_NUMBER = re.compile(r"\d+(?:-\d+)?")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Option:
    """One choice: the value the form submits and the label a person reads."""

    value: str
    label: str


def language() -> str:
    """The two-letter language of the current request."""
    return (get_language() or "en")[:2]


def term_options(vocabulary: str, query: str = "", limit: int = 50) -> list[Option]:
    """Terms of ``vocabulary`` whose label in any language (or key) contains ``query``.

    Labels come in the user's language where the vocabulary has one, so a Belarusian label
    can be found by typing its English or Russian name.
    """
    if vocabulary not in PICKABLE:
        return []
    terms: Iterable[Term] = Term.objects.filter(vocabulary=vocabulary)
    text = " ".join(query.split())[:100]
    if text:
        # SQLite folds case for ASCII only: compare case-folded labels in Python.
        folded = text.casefold()
        terms = [
            t
            for t in terms
            if any(folded in v.casefold() for v in (t.key, t.label_en, t.label_ru, t.label_be))
        ]
    lang = language()
    options = [Option(t.key, t.label(lang)) for t in terms]
    return sorted(options, key=lambda o: o.label.casefold())[:limit]


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))


def term_key(vocabulary: str, typed: str) -> str | None:
    """The key of the term ``typed`` names: its key or a label (any language), exactly; else
    the one term whose key or labels hold every word typed ("general" is the general-regime
    colony, "строгого" the strict one). None when no term, or several, fit."""
    text = " ".join(typed.split()).casefold()
    if not text:
        return None
    terms = list(Term.objects.filter(vocabulary=vocabulary))
    for t in terms:
        if text in {v.casefold() for v in (t.key, t.label_en, t.label_ru, t.label_be) if v}:
            return t.key
    typed_words = _words(text)
    if not typed_words:
        return None
    fits = [
        t.key
        for t in terms
        if typed_words
        <= _words(" ".join((t.key.replace("_", " "), t.label_en, t.label_ru, t.label_be)))
    ]
    return fits[0] if len(fits) == 1 else None


def citation_text(p: LegalProvision) -> str:
    """A provision written so the citation parser reads it back to the same provision."""
    parts = []
    if p.point:
        parts.append(f"p. {p.point} of")
    if p.part:
        parts.append(f"Part {p.part} of")
    parts.append(f"Art. {p.article}")
    parts.append(_CODE_NAMES.get(p.code, ""))
    return " ".join(x for x in parts if x)


def provision_options(query: str = "", limit: int = 30) -> list[Option]:
    """Known provisions, most charged first, matching an article number or a title."""
    found = LegalProvision.objects.all()
    text = " ".join(query.split())[:100]
    if text:
        numbers = _NUMBER.findall(text)
        condition = Q(title__icontains=text)
        if numbers:
            condition |= Q(article__startswith=max(numbers, key=len))
        found = found.filter(condition)
    found = found.annotate(uses=Count("charges")).order_by("-uses", "article", "part", "point")
    return [
        Option(citation_text(p), f"{p} — {p.title}" if p.title else str(p)) for p in found[:limit]
    ]
