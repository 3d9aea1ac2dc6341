"""Vigil's controlled vocabularies, read from the CSV files shipped in ``vigil.records.vocab``."""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Final

PACKAGE: Final = "vigil.records.vocab"
LANGUAGES: Final = ("en", "ru", "be")
COLUMNS: Final = (
    "key",
    "code",
    "parent",
    "label_en",
    "label_ru",
    "label_be",
    "be_reviewed",
    "source",
    "definition_en",
)
VIGIL_PREFIX: Final = "vigil:"


@dataclass(frozen=True, slots=True)
class Term:
    """One term of a vocabulary, labelled in English, Russian and Belarusian."""

    vocabulary: str
    key: str
    code: str
    parent: str | None
    label_en: str
    label_ru: str
    label_be: str
    be_reviewed: bool
    source: str
    definition_en: str = ""

    @property
    def huridocs_code(self) -> str | None:
        """The HURIDOCS vocab_number of this term, or None for Vigil's own terms."""
        return None if self.code.startswith(VIGIL_PREFIX) else self.code

    def label(self, lang: str = "en") -> str:
        """The label in ``lang``, falling back to English, then to the key."""
        return getattr(self, f"label_{_language(lang)}") or self.label_en or self.key


def _language(lang: str) -> str:
    """The supported language for a code such as ``be``, ``ru-RU`` or ``en-us``; else ``en``."""
    primary = lang.replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else "en"


@cache
def _names() -> tuple[str, ...]:
    """Names of the shipped vocabularies, sorted."""
    files = resources.files(PACKAGE).iterdir()
    return tuple(sorted(f.name.removesuffix(".csv") for f in files if f.name.endswith(".csv")))


def vocabularies() -> list[str]:
    """Names of the shipped vocabularies, sorted."""
    return list(_names())


def parse_terms(vocabulary: str, text: str) -> dict[str, Term]:
    """Terms of one vocabulary from its CSV text; ValueError when the text is inconsistent."""
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise ValueError(f"vocabulary {vocabulary!r}: columns must be {', '.join(COLUMNS)}")
    terms: dict[str, Term] = {}
    for row in reader:
        key = row["key"]
        if key in terms:
            raise ValueError(f"vocabulary {vocabulary!r}: duplicate key {key!r}")
        if row["be_reviewed"] not in {"yes", "no"}:
            raise ValueError(f"vocabulary {vocabulary!r}: be_reviewed of {key!r} is not yes/no")
        terms[key] = Term(
            vocabulary=vocabulary,
            key=key,
            code=row["code"],
            parent=row["parent"] or None,
            label_en=row["label_en"],
            label_ru=row["label_ru"],
            label_be=row["label_be"],
            be_reviewed=row["be_reviewed"] == "yes",
            source=row["source"],
            definition_en=row["definition_en"],
        )
    for term in terms.values():
        if term.parent is not None and term.parent not in terms:
            raise ValueError(
                f"vocabulary {vocabulary!r}: parent {term.parent!r} of {term.key!r} is unknown"
            )
    return terms


@cache
def _load(vocabulary: str) -> MappingProxyType[str, Term]:
    """The cached, read-only terms of one vocabulary."""
    if vocabulary not in _names():
        raise KeyError(f"no vocabulary {vocabulary!r}; the vocabularies are: {', '.join(_names())}")
    text = resources.files(PACKAGE).joinpath(f"{vocabulary}.csv").read_text(encoding="utf-8")
    return MappingProxyType(parse_terms(vocabulary, text))


def load(vocabulary: str) -> dict[str, Term]:
    """The terms of ``vocabulary`` by key, in file order; KeyError for an unknown vocabulary."""
    return dict(_load(vocabulary))


def require(vocabulary: str, key: str) -> Term:
    """The term ``key`` of ``vocabulary``; KeyError naming the vocabulary when it is absent."""
    terms = _load(vocabulary)
    if key in terms:
        return terms[key]
    close = difflib.get_close_matches(key, list(terms), n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise KeyError(
        f"{key!r} is not a term of vocabulary {vocabulary!r}.{hint}"
        f" Its keys are: {', '.join(terms)}"
    )


def label(vocabulary: str, key: str, lang: str = "en") -> str:
    """The label of a term in ``lang``, falling back to English, then to the key itself."""
    term = _load(vocabulary).get(key)
    return term.label(lang) if term is not None else key
