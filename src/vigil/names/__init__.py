"""Multi-script name matching for sanctions screening and search (pure Python, no Django)."""

from vigil.names.compare import Match, compare
from vigil.names.given_names import given_name_ids, is_given_name
from vigil.names.homoglyphs import repair_homoglyphs
from vigil.names.index import Candidate, NameIndex, NameRecord
from vigil.names.keys import search_keys
from vigil.names.kinds import classify_name
from vigil.names.normalise import normalise
from vigil.names.organisations import Comparison, compare_organisations
from vigil.names.thresholds import OPERATING_THRESHOLD, REVIEW_THRESHOLD
from vigil.names.transliterate import SCHEMES, transliterate

__all__ = [
    "OPERATING_THRESHOLD",
    "REVIEW_THRESHOLD",
    "SCHEMES",
    "Candidate",
    "Comparison",
    "Match",
    "NameIndex",
    "NameRecord",
    "classify_name",
    "compare",
    "compare_organisations",
    "given_name_ids",
    "is_given_name",
    "normalise",
    "repair_homoglyphs",
    "search_keys",
    "transliterate",
]
