"""Labels people read for codes stored in the record: languages of names, roles as stated.

A stored code ("be", "judge", "counsel") is never shown as such: these functions give its
label in the active language, and the value itself only when it is free text nobody coded.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from vigil.records.models import Term

__all__ = ["language_label", "role_label", "scheme_label"]

_LANGUAGES = {
    "be": gettext_lazy("Belarusian"),
    "ru": gettext_lazy("Russian"),
    "en": gettext_lazy("English"),
    "uk": gettext_lazy("Ukrainian"),
    "pl": gettext_lazy("Polish"),
}
# Roles a source states for a participant that are not perpetrator roles.
_PARTICIPANT_ROLES = {"counsel": gettext_lazy("counsel")}


# Identifier schemes of other systems, by the key importers store.
_SCHEMES = {
    "viasna": gettext_lazy("Viasna"),
    "viasna-url": gettext_lazy("Viasna page"),
    "viasna-latin": gettext_lazy("Viasna (Latin spelling)"),
    "zubr": gettext_lazy("ZUBR"),
}


def scheme_label(scheme: str | None) -> str:
    """The name of an identifier scheme ("viasna-url" → "Viasna page"), the key when unknown."""
    if not scheme:
        return ""
    label = _SCHEMES.get(scheme)
    return str(label) if label is not None else scheme


def language_label(code: str | None) -> str:
    """The name of the language ``code`` ("be" → "Belarusian"), the code when unknown."""
    if not code:
        return ""
    primary = code.replace("_", "-").split("-", 1)[0].lower()
    label = _LANGUAGES.get(primary)
    return str(label) if label is not None else code


def role_label(value: str | None) -> str:
    """A role as stated or confirmed: its vocabulary label ("judge" → "Judge"), else as written."""
    if not value:
        return ""
    key = value.strip()
    if key in _PARTICIPANT_ROLES:
        return str(_PARTICIPANT_ROLES[key])
    if key.isidentifier() and key.islower():
        term = Term.objects.filter(pk=Term.pk_for("perpetrator_role", key)).first()
        if term is not None:
            return term.label()
    return value
