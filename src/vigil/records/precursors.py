"""Precursor acts: the act types that may come before an arrest (early-warning signals).

The act types themselves are terms of the ``act_type`` vocabulary (labels in en/ru/be); this
module only says which of them count as precursors, grouped by the signal they give. An act is
a signal from its ``known_since`` date (when the organisation learned it), never earlier.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

#: Signal name → the act types (keys of the ``act_type`` vocabulary) that give it.
SIGNALS: Final = MappingProxyType(
    {
        "summons_questioning": ("summons", "interrogation", "warning"),
        "search": ("search",),
        "administrative_detention": ("administrative_arrest",),
        "administrative_fine": ("administrative_fine",),
        "disbarment_proceedings": ("disbarment_proceedings",),
        "licence_lost": ("licence_suspension", "licence_revocation", "disbarment"),
        "failed_recertification": ("failed_recertification",),
        "travel_restriction": ("exit_ban", "border_refusal", "travel_ban"),
        "travel_document_seizure": ("travel_document_seizure",),
        "threat": ("threat", "death_threat"),
        "surveillance": ("surveillance",),
        "state_media_smear": ("state_media_smear",),
        "extremist_or_terrorist_list": (
            "extremist_list",
            "extremist_designation",
            "terrorist_designation",
        ),
        "criminal_case_opened": ("criminal_case_opened",),
        # Organisation-level acts: the person's organisation designated or dissolved.
        "organisation_designated": ("extremist_designation", "liquidation"),
    }
)

#: Every act type that is a precursor signal.
PRECURSOR_ACT_TYPES: Final = frozenset(k for keys in SIGNALS.values() for k in keys)


def signal_of(act_type: str) -> list[str]:
    """The signals an act type gives (empty when it is no precursor)."""
    return [name for name, keys in SIGNALS.items() if act_type in keys]
