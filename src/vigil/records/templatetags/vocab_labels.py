"""``{{ term|label }}``: a vocabulary term's label in the active language, English as fallback."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()

_LANGUAGES = ("en", "ru", "be")


def _language(code: str | None) -> str:
    primary = (code or "en").replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in _LANGUAGES else "en"


@register.filter(name="label")
def label(term: Any, language: str | None = None) -> str:
    """The term's label in ``language`` (default: the active one), else English, else its key.

    Accepts a Term model, a ``vocabularies.Term`` record or anything with ``label_<lang>``
    attributes; None gives "" and any other value is shown as text.
    """
    if term is None or term == "":
        return ""
    lang = _language(language or get_language())
    if not hasattr(term, "label_en"):
        return str(term)
    return (
        getattr(term, f"label_{lang}", "") or term.label_en or str(getattr(term, "key", "") or "")
    )
