"""The organisation-name scorer: two names → a score in [0, 1] with the reasons for it.

Parts of the two names are aligned each to its best counterpart; each part counts by its weight
(`org_terms.WEIGHTS`), so a shared "Bank" or "Court" is weak evidence and a shared "Belaruskali"
strong. Legal forms move the score a little; numbers and roman numerals must agree.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from vigil.names.normalise import fold_ascii, is_cyrillic
from vigil.names.org_terms import OrgName, Part, read_org_name, stopwords
from vigil.names.tokens import token_info, token_similarity
from vigil.names.transliterate import latin_variants

#: Token similarities below this knee fall faster: Armenia/America are different words.
TOKEN_KNEE = 0.88
#: How much faster than 1:1 a token similarity falls below the knee.
TOKEN_SLOPE = 2.5
#: Score of an abbreviation written out on the other side (BPC ~ Belarusian Potash Company).
ACRONYM_SCORE = 0.9
#: Factor on the score of a name compared with its words run together (Grodnoazot).
JOINED_FACTOR = 0.98
#: Factor when both names have numbers and they differ (Fund X / Fund XI, Colony No. 2 / 3).
NUMBER_CONFLICT_FACTOR = 0.5
#: Factor when only one name has a number.
NUMBER_MISSING_FACTOR = 0.85
#: Factor when both names name places (or countries) and share none (Minsk / Homel court).
PLACE_CONFLICT_FACTOR = 0.8
#: Factor when both names have generic words and share none (Alfa-Bank / Alfa Group).
GENERIC_CONFLICT_FACTOR = 0.9
#: Factor when both names have legal forms of the same family but different codes (АО / ОАО).
LEGAL_FORM_NEAR_FACTOR = 0.97
#: Factor when both names have legal forms of different families (LLC / JSC).
LEGAL_FORM_CONFLICT_FACTOR = 0.9
#: Russian and Belarusian adjective and case endings dropped before comparing long tokens.
_ENDINGS = re.compile(
    r"(ского|скага|ская|скай|ское|скае|ский|скі|скую|ого|ага|ому|ая|ое|ае|ий|ый|ой|і|ы|а|я|"
    r"skogo|skaha|skaya|skiy|skii|sky|ski|ogo)$"
)


@dataclass(frozen=True)
class Comparison:
    """A score in [0, 1], the reasons for it, and the kind the names were compared as."""

    score: float
    notes: tuple[str, ...]
    kind: str = "organisation"

    @property
    def explanation(self) -> str:
        """The reasons as one line."""
        return "; ".join(self.notes)


def _knee(score: float) -> float:
    """A token similarity with near-misses pushed down."""
    if score >= TOKEN_KNEE:
        return score
    return max(0.0, score - TOKEN_SLOPE * (TOKEN_KNEE - score))


def _stem(token: str) -> str:
    """A long token without its adjective or case ending (ленинского → ленинск)."""
    if len(token) < 6:
        return token
    stem = _ENDINGS.sub("", token)
    return stem if len(stem) >= 4 else token


@functools.lru_cache(maxsize=200_000)
def token_score(a: str, b: str) -> tuple[float, str]:
    """Similarity of two normalised free tokens after the knee, and how they matched."""
    score, how = token_similarity(token_info(a), token_info(b))
    sa, sb = _stem(a), _stem(b)
    if score < 1.0 and (sa, sb) != (a, b):
        stemmed, _ = token_similarity(token_info(sa), token_info(sb))
        if stemmed * 0.95 > score:
            score, how = stemmed * 0.95, f"≈ without endings ({stemmed:.2f})"
    return _knee(score), how


def _part_score(a: Part, b: Part) -> tuple[float, str]:
    """Similarity of two parts: codes agree or not; free tokens by spelling and sound."""
    if a.kind == "token" and b.kind == "token":
        return token_score(a.key, b.key)
    if a.kind != "token" and b.kind != "token" and a.key == b.key:
        return 1.0, "=" if a.text == b.text else f"= [{a.key}]"
    return 0.0, "≠"


def _align(a: Sequence[Part], b: Sequence[Part]) -> tuple[float, list[str]]:
    """Weighted share of both names' parts that find a counterpart, with notes."""
    totals: list[float] = []
    weights: list[float] = []
    notes: list[str] = []
    seen: set[tuple[str, str]] = set()
    for side, other, left in ((a, b, True), (b, a, False)):
        for part in side:
            best, how, match = max(
                ((*_part_score(part, o), o) for o in other), key=lambda x: x[0]
            )
            totals.append(part.weight * best)
            weights.append(part.weight)
            x, y = (part, match) if left else (match, part)
            label = "" if part.kind in ("token", "alias") else f" ({part.kind})"
            if best >= TOKEN_KNEE:
                key = (x.text, y.text)
                if key not in seen:
                    seen.add(key)
                    if how.startswith("= ["):
                        how, label = "=", f" [{part.key}]{label}"
                    notes.append(f"{x.text} {how} {y.text}{label}")
            else:
                shown = f" (best {best:.2f})" if best else ""
                notes.append(f"{part.text}{label} unmatched{shown}")
    # fsum is exactly rounded, so the score does not depend on which name came first.
    weight = math.fsum(weights)
    return (math.fsum(totals) / weight if weight else 0.0), notes


def _first_latin(token: str) -> str:
    """The first folded Latin spelling of a token ('' when it has none)."""
    if is_cyrillic(token):
        return next(iter(latin_variants(token)), "")
    return fold_ascii(token)


def _initials(name: OrgName) -> set[str]:
    """Initials of a name's words, without and with its legal forms, in its script and Latin."""
    stops = stopwords()
    found: set[str] = set()
    inner = [t for p in name.parts for t in p.text.split()]
    for words in (inner, list(name.tokens)):
        tokens = [t for t in words if t not in stops and not t.isdigit()]
        if len(tokens) < 2:
            continue
        found.add("".join(t[0] for t in tokens))
        latin = [_first_latin(t) for t in tokens]
        if all(latin):
            found.add("".join(t[0] for t in latin))
    return found


def _acronym(a: OrgName, b: OrgName) -> str:
    """A note when one name is a single abbreviation of the other's words, '' otherwise."""
    for short, long_ in ((a, b), (b, a)):
        if len(short.parts) == 1 and short.parts[0].kind == "token":
            token = short.parts[0].key
            if 2 <= len(token) <= 6 and {token, fold_ascii(token)} & _initials(long_):
                return f"{token} abbreviates {' '.join(p.text for p in long_.parts)}"
    return ""


def _joined(a: OrgName, b: OrgName) -> tuple[float, str]:
    """Score of the two names with their words run together (Grodno Azot ~ Grodnoazot)."""
    if len(a.parts) == len(b.parts) or not a.parts or not b.parts:
        return 0.0, ""
    ja = "".join(p.text.replace(" ", "") for p in a.parts)
    jb = "".join(p.text.replace(" ", "") for p in b.parts)
    score, how = token_score(ja, jb)
    return score * JOINED_FACTOR, f"{ja} {how} {jb} (words run together)"


def _legal_form_factor(a: OrgName, b: OrgName) -> tuple[float, str]:
    """Factor and note from the two names' legal forms."""
    if not a.legal_forms or not b.legal_forms:
        one = a.legal_forms or b.legal_forms
        return 1.0, ("legal form on one side only: " + one[0][0]) if one else ""
    codes_a = {c for c, _ in a.legal_forms}
    codes_b = {c for c, _ in b.legal_forms}
    if codes_a & codes_b:
        return 1.0, "legal form " + "/".join(sorted(codes_a & codes_b)) + " on both"
    shown = f"{'/'.join(sorted(codes_a))} vs {'/'.join(sorted(codes_b))}"
    if {f for _, f in a.legal_forms} & {f for _, f in b.legal_forms}:
        return LEGAL_FORM_NEAR_FACTOR, f"legal forms of one family: {shown}"
    return LEGAL_FORM_CONFLICT_FACTOR, f"legal forms differ: {shown}"


def _kind_conflicts(a: OrgName, b: OrgName) -> list[tuple[float, str]]:
    """Factors and notes for places (or generic words) named on both sides with none shared."""
    found = []
    for kinds, factor, what in (
        ({"place", "country"}, PLACE_CONFLICT_FACTOR, "places differ"),
        ({"generic"}, GENERIC_CONFLICT_FACTOR, "kinds of body differ"),
    ):
        ka = {p.key for p in a.parts if p.kind in kinds}
        kb = {p.key for p in b.parts if p.kind in kinds}
        if ka and kb and not ka & kb:
            found.append((factor, f"{what}: {'/'.join(sorted(ka))} vs {'/'.join(sorted(kb))}"))
    return found


def _number_factor(a: OrgName, b: OrgName) -> tuple[float, str]:
    """Factor and note from the numbers (digits or roman numerals) in the two names."""
    if a.numbers and b.numbers:
        if a.numbers == b.numbers:
            return 1.0, "numbers agree: " + ", ".join(map(str, sorted(a.numbers)))
        shown = f"{sorted(a.numbers)} vs {sorted(b.numbers)}"
        return NUMBER_CONFLICT_FACTOR, f"numbers differ: {shown}"
    if a.numbers or b.numbers:
        return NUMBER_MISSING_FACTOR, "a number on one side only"
    return 1.0, ""


def compare_organisations(a: str, b: str) -> Comparison:
    """Symmetric similarity of two organisation names in any script, with its reasons."""
    na, nb = read_org_name(a), read_org_name(b)
    if not na.parts or not nb.parts:
        return Comparison(0.0, ("no name beyond a legal form to compare",))
    score, notes = _align(na.parts, nb.parts)
    acronym = _acronym(na, nb)
    if acronym and ACRONYM_SCORE > score:
        score, notes = ACRONYM_SCORE, [acronym]
    joined, note = _joined(na, nb)
    if joined > score:
        score, notes = joined, [note]
    factors = [_legal_form_factor(na, nb), _number_factor(na, nb), *_kind_conflicts(na, nb)]
    for factor, note in factors:
        score *= factor
        if note:
            notes.append(note)
    return Comparison(round(min(1.0, max(0.0, score)), 6), tuple(notes))
