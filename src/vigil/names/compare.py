"""The name scorer: two names (and optional evidence) → a score in [0, 1] with reasons."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from vigil.names.evidence import (
    GENDER_MISMATCH_FACTOR,
    POSITION_BONUS,
    BirthInput,
    apply_birth,
    birth_evidence,
    normalise_gender,
    position_overlap,
)
from vigil.names.given_names import given_name_gender
from vigil.names.normalise import normalise
from vigil.names.origins import MIN_JOINED, PreparedName, prepare_person_name
from vigil.names.parse import ParsedName, parse_name
from vigil.names.tokens import (
    TokenInfo,
    given_similarity,
    initial_matches,
    patronymic_similarity,
    surname_similarity,
    token_info,
    token_similarity,
)

#: Weights of surname, given name and patronymic in the name score.
WEIGHTS = {"surname": 0.5, "given": 0.3, "patronymic": 0.2}
#: Score an initial earns when it fits the full name on the other side.
INITIAL_SCORE = 0.9
#: Surname similarities below this knee fall faster: near-miss spellings are other people.
SURNAME_KNEE = 0.85
#: How much faster than 1:1 a surname similarity falls below the knee.
SURNAME_SLOPE = 2.5
#: Factor on the surname score when only one side has a given name or initial.
SURNAME_ONLY_FACTOR = 0.7
#: Factor on the whole score when the name table says the given names differ.
GIVEN_CONFLICT_FACTOR = 0.75
#: A given-name score below this means the given names differ, known to the table or not.
DIFFERENT_GIVEN = 0.5
#: Factor on the whole score when the name table says the patronymics differ.
PATRONYMIC_CONFLICT_FACTOR = 0.85
#: Factor on a reading that swaps surname and given name of an unmarked name.
SWAPPED_FACTOR = 0.98
#: Least name score of two names whose letters agree once run together (VladimirPutin).
JOINED_SCORE = 0.97
#: Factor on the score when the family names differ (al-Tamimi vs al-Jubouri, or the last of
#: two or more surnames): shared given names and father's names do not make them one person.
FAMILY_CONFLICT_FACTOR = 0.6
#: Factor on the score when regnal numbers, ordinals or Jr./Sr. differ (Henry VII, Henry VIII).
NUMBER_CONFLICT_FACTOR = 0.5


def surname_floor(threshold: float, *, with_birth: bool) -> float:
    """Least surname-token similarity with which a name could still reach `threshold`."""
    # The best case: given name and patronymic agree fully, and a birth date agrees.
    need = 2 * threshold - 1 if with_birth else threshold
    surname = 2 * need - 1
    if surname >= SURNAME_KNEE:
        return surname
    return max(0.0, (surname + SURNAME_SLOPE * SURNAME_KNEE) / (1 + SURNAME_SLOPE))


@dataclass(frozen=True)
class Match:
    """A score in [0, 1] and a human-readable account of which parts matched and how."""

    score: float
    explanation: str
    name_score: float


@dataclass(frozen=True)
class Features:
    """A parsed name with its token features, reusable across many comparisons."""

    text: str
    parsed: ParsedName
    surnames: tuple[TokenInfo, ...]
    given: tuple[TokenInfo, ...]
    patronymic: TokenInfo | None
    gender: str
    prepared: PreparedName = PreparedName("")


@functools.lru_cache(maxsize=100_000)
def features(text: str) -> Features:
    """Parsed and featurised name (cached)."""
    prepared = prepare_person_name(text)
    parsed = parse_name(prepared.text)
    if prepared.given_first:
        # Arabic order: the person's own name, then father's and grandfather's, then family.
        words = [*parsed.given, *parsed.surnames] if not parsed.initials else []
        order = {w: i for i, w in enumerate(normalise(prepared.text).split())}
        words.sort(key=lambda w: order.get(w, len(order)))
        if len(words) > 1 and not parsed.patronymic:
            parsed = ParsedName(tuple(words[1:]), (words[0],), "", (), True)
    return _features_of(text, parsed, prepared)


def _features_of(
    text: str, parsed: ParsedName, prepared: PreparedName | None = None
) -> Features:
    """Features for a given parse."""
    given = tuple(token_info(t) for t in parsed.given)
    patronymic = token_info(parsed.patronymic) if parsed.patronymic else None
    surnames = tuple(token_info(t) for t in parsed.surnames)
    genders = {given_name_gender(g.given_ids) for g in given[:1]}
    if patronymic:
        genders.add(patronymic.patronymic_gender)
    genders.discard("")
    prepared = prepared or PreparedName(text)
    if not genders and prepared.gender:
        genders.add(prepared.gender)
    gender = genders.pop() if len(genders) == 1 else ""
    return Features(text, parsed, surnames, given, patronymic, gender, prepared)


def _swapped(f: Features) -> Features | None:
    """The other reading of an unmarked two-part name (surname first), cached."""
    p = f.parsed
    if p.certain or not p.given or not p.surnames:
        return None
    key = (f.text, p)
    found = _SWAPPED.get(key)
    if found is None:
        if len(_SWAPPED) > 200_000:
            _SWAPPED.clear()
        found = _SWAPPED[key] = _swap(f)
    return found


_SWAPPED: dict[tuple[str, ParsedName], Features] = {}


def _swap(f: Features) -> Features:
    """The other reading of an unmarked two-part name (one that has a given name and surname)."""
    p = f.parsed
    swapped = replace(p, surnames=p.given, given=p.surnames[:1] + p.surnames[1:])
    return _features_of(f.text, swapped, f.prepared)


def _best_pairs(
    a: Sequence[TokenInfo], b: Sequence[TokenInfo]
) -> tuple[float, list[tuple[TokenInfo, TokenInfo, str]]]:
    """Mean best surname similarity of the shorter token list against the longer, symmetric."""
    if len(a) != len(b):
        a_first = len(a) < len(b)
    else:
        a_first = [t.norm for t in a] <= [t.norm for t in b]
    short, long_ = (a, b) if a_first else (b, a)
    total = 0.0
    pairs = []
    for token in short:
        # The first of equals, as max() gives it.
        score, how, other = -1.0, "", long_[0]
        for candidate in long_:
            found, note = surname_similarity(token, candidate)
            if found > score:
                score, how, other = found, note, candidate
        total += score
        pairs.append((token, other, how) if short is a else (other, token, how))
    return total / len(short), pairs


def _note(part: str, a: str, b: str, how: str) -> str:
    """'surname navumau ≈ наумов via be-ru ending -au/-ов' from a token-similarity note."""
    symbol, _, reason = how.partition(" ")
    return f"{part} {a} {symbol} {b}" + (f" {reason}" if reason else "")


def _given_part(a: Features, b: Features) -> tuple[float | None, str]:
    """Given-name score (None when neither side has one) and its note."""
    pa, pb = a.parsed, b.parsed
    if a.given and b.given:
        score, how = given_similarity(a.given[0], b.given[0])
        return score, _note("given", a.given[0].norm, b.given[0].norm, how)
    for full, init, left in ((a, pb, True), (b, pa, False)):
        if full.given and init.initials:
            letter = init.initials[0]
            ok = initial_matches(letter, full.given[0])
            pair = (full.given[0].norm, letter.upper() + ".")
            x, y = pair if left else pair[::-1]
            return (INITIAL_SCORE if ok else 0.0), f"given {x} {'~' if ok else '≠'} {y} initial"
    if pa.initials and pb.initials:
        ok = bool(set(pa.initials[:1]) & set(pb.initials[:1]))
        return (INITIAL_SCORE if ok else 0.0), "given initials " + ("agree" if ok else "differ")
    return None, ""


def _patronymic_part(a: Features, b: Features) -> tuple[float | None, str]:
    """Patronymic score (None when either side lacks one) and its note."""
    if a.patronymic and b.patronymic:
        score, how = patronymic_similarity(a.patronymic, b.patronymic)
        return score, _note("patronymic", a.patronymic.norm, b.patronymic.norm, how)
    for full, init, left in ((a, b.parsed, True), (b, a.parsed, False)):
        if full.patronymic and len(init.initials) >= 2:
            letter = init.initials[1]
            ok = initial_matches(letter, full.patronymic)
            pair = (full.patronymic.norm, letter.upper() + ".")
            x, y = pair if left else pair[::-1]
            return (INITIAL_SCORE if ok else 0.0), f"patronymic {x} {'~' if ok else '≠'} {y}"
    return None, ""


def _has_given(f: Features) -> bool:
    """True when a name has a given name or an initial."""
    return bool(f.given or f.parsed.initials)


def _name_score(a: Features, b: Features) -> tuple[float, list[str]]:
    """Name-only score of two featurised names and the notes on its parts."""
    if not a.surnames or not b.surnames:
        return 0.0, ["no surname to compare"]
    surname, pairs = _best_pairs(a.surnames, b.surnames)
    if surname < SURNAME_KNEE:
        surname = max(0.0, surname - SURNAME_SLOPE * (SURNAME_KNEE - surname))
    notes = [_note("surname", x.norm, y.norm, how) for x, y, how in pairs]
    parts: dict[str, float] = {"surname": surname}
    given, note = _given_part(a, b)
    if given is not None:
        parts["given"] = given
        notes.append(note)
    patronymic, note = _patronymic_part(a, b)
    if patronymic is not None:
        parts["patronymic"] = patronymic
        notes.append(note)
    if "given" not in parts:
        if _has_given(a) or _has_given(b):
            return surname * SURNAME_ONLY_FACTOR, [*notes, "no given name on one side"]
        return surname, notes
    weight = sum(WEIGHTS[k] for k in parts)
    score = sum(WEIGHTS[k] * v for k, v in parts.items()) / weight
    if parts["given"] < DIFFERENT_GIVEN or any("≠" in n and n.startswith("given") for n in notes):
        score *= GIVEN_CONFLICT_FACTOR
    if any("≠" in n and n.startswith("patronymic") for n in notes):
        score *= PATRONYMIC_CONFLICT_FACTOR
    return score, notes


def _family(f: Features) -> str:
    """The family name: one written with an article, or the last of two or more surnames."""
    if f.prepared.family:
        return f.prepared.family
    return f.surnames[-1].norm if len(f.surnames) >= 2 else ""


def _origin_evidence(
    a: Features, b: Features, score: float, notes: list[str]
) -> tuple[float, list[str]]:
    """The name score moved by what `origins` read: joined spellings, families, numbers."""
    joined_a, joined_b = a.prepared.joined, b.prepared.joined
    joined = a.surnames and b.surnames and len(joined_a) >= MIN_JOINED
    if joined and joined_a == joined_b and score < JOINED_SCORE:
        score, notes = JOINED_SCORE, [*notes, "same letters written together or apart"]
    family_a, family_b = _family(a), _family(b)
    if family_a and family_b:
        others_b = [t.norm for t in b.surnames]
        others_a = [t.norm for t in a.surnames]
        fa, fb = token_info(family_a), token_info(family_b)
        agree = max(
            token_similarity(fa, fb)[0],
            max((token_similarity(fa, token_info(t))[0] for t in others_b), default=0.0),
            max((token_similarity(fb, token_info(t))[0] for t in others_a), default=0.0),
        )
        if agree < SURNAME_KNEE:
            score *= FAMILY_CONFLICT_FACTOR
            notes = [*notes, f"family name {family_a} ≠ {family_b}"]
    numbers_a, numbers_b = set(a.prepared.numbers), set(b.prepared.numbers)
    if numbers_a and numbers_b and numbers_a != numbers_b:
        score *= NUMBER_CONFLICT_FACTOR
        notes = [*notes, "numbers differ: " + "/".join(sorted(numbers_a ^ numbers_b))]
    return score, notes


def compare_features(
    a: Features,
    b: Features,
    *,
    a_birth: BirthInput = None,
    b_birth: BirthInput = None,
    a_gender: str | None = None,
    b_gender: str | None = None,
    a_positions: Iterable[str] | None = None,
    b_positions: Iterable[str] | None = None,
) -> Match:
    """Compare two featurised names; see `compare`."""
    score, notes = _name_score(a, b)
    # A swapped reading scores at most SWAPPED_FACTOR: none is tried when that cannot win.
    swaps = () if score >= SWAPPED_FACTOR else ((_swapped(a), b), (a, _swapped(b)))
    for x, y in swaps:
        if x is not None and y is not None:
            alt, alt_notes = _name_score(x, y)
            if alt * SWAPPED_FACTOR > score:
                score, notes = alt * SWAPPED_FACTOR, [*alt_notes, "name order swapped"]
    score, notes = _origin_evidence(a, b, score, notes)
    name_score = score
    level, note = birth_evidence(a_birth, b_birth)
    if note:
        score = apply_birth(score, level)
        notes.append(note)
    ga = normalise_gender(a_gender) or a.gender
    gb = normalise_gender(b_gender) or b.gender
    if ga and gb and ga != gb:
        score *= GENDER_MISMATCH_FACTOR
        notes.append("gender differs")
    if position_overlap(a_positions, b_positions):
        score += (1 - score) * POSITION_BONUS
        notes.append("positions overlap")
    score = min(1.0, max(0.0, score))
    return Match(round(score, 6), "; ".join(notes), round(name_score, 6))


def compare(
    a: str,
    b: str,
    *,
    a_birth: BirthInput = None,
    b_birth: BirthInput = None,
    a_gender: str | None = None,
    b_gender: str | None = None,
    a_positions: Iterable[str] | None = None,
    b_positions: Iterable[str] | None = None,
) -> Match:
    """Symmetric similarity of two names in any script; evidence moves it when present."""
    return compare_features(
        features(a),
        features(b),
        a_birth=a_birth,
        b_birth=b_birth,
        a_gender=a_gender,
        b_gender=b_gender,
        a_positions=a_positions,
        b_positions=b_positions,
    )
