"""Features of one name token and the similarity of two tokens, with how they matched."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rapidfuzz.distance import OSA, Indel

from vigil.names.data_files import read_rows, split_cell
from vigil.names.given_names import given_name_ids, given_names, loose, patronymic_ids
from vigil.names.normalise import fold_ascii, is_cyrillic, normalise
from vigil.names.parse import patronymic_split
from vigil.names.phonetic import skeleton, sound
from vigil.names.transliterate import latin_variants

#: Factor on the similarity of sound forms: equal sounds in different spellings prove less.
SOUND_CAP = 0.95
#: Score of two tokens whose consonants agree and only some vowels differ (Чарнышоў/Чернышев).
VOWEL_SCORE = 0.9
#: Vowel groups that may differ under VOWEL_SCORE, for short (< 3 consonants) and longer tokens.
VOWEL_DIFFERENCES = (1, 2)
#: Score of two surnames equal up to a Belarusian/Russian ending pair (-au/-ov).
ENDING_SCORE = 0.95
#: Score of a given name or patronymic known to name a different person (Aleh vs Volha).
DIFFERENT_NAME_CAP = 0.0
#: Score of two surnames one typing slip apart once Belarusian/Russian vowels are folded
#: (БЫАКЎ/Bykov, Charnshou/Чернышёв). Set so that, after the surname knee, such a surname
#: reaches the operating threshold only when the given name and the patronymic both agree in
#: full (0.8375 against 0.82); with a given name alone it stays below (0.797).
TYPO_SCORE = 0.8
#: Least token similarity of two surnames that may be one slip apart: a slip costs a surname
#: of four letters or more a fraction of its letters, never half (the least seen is 0.63), so
#: pairs further apart are not looked at for one.
SLIP_FLOOR = 0.5
#: Fewest letters a folded sound form needs for one slip to be read as a typo (SMaL, not Ha).
TYPO_MIN_LENGTH = 4


@dataclass(frozen=True)
class Ending:
    """A surname ending found in a token: its family, gender, the ending and the stem."""

    family: str
    gender: str
    ending: str
    stem: str


@dataclass(frozen=True)
class TokenInfo:
    """Precomputed spellings and keys of one normalised token."""

    norm: str
    variants: dict[str, str]
    sounds: tuple[str, ...]
    skeleton: str
    given_ids: frozenset[str]
    patronymic_ids: frozenset[str]
    patronymic_gender: str
    ending: Ending | None
    initials: frozenset[str]


@functools.cache
def _endings() -> tuple[tuple[str, str, str, bool], ...]:
    """(ending, family, gender, cyrillic) from `surname_endings.csv`, longest first."""
    found: set[tuple[str, str, str, bool]] = set()
    for row in read_rows("surname_endings.csv"):
        for cell in ("be_cyr", "ru_cyr"):
            for ending in split_cell(row[cell]):
                found.add((normalise(ending), row["family"], row["gender"], True))
        for ending in split_cell(row["latin"]):
            found.add((fold_ascii(ending), row["family"], row["gender"], False))
    return tuple(sorted(found, key=lambda e: len(e[0]), reverse=True))


@functools.cache
def _endings_by_text() -> dict[tuple[str, bool], tuple[str, str]]:
    """(ending, cyrillic) → (family, gender), the first (longest-first) entry winning."""
    found: dict[tuple[str, bool], tuple[str, str]] = {}
    for ending, family, gender, cyrillic in _endings():
        found.setdefault((ending, cyrillic), (family, gender))
    return found


@functools.lru_cache(maxsize=200_000)
def surname_ending(token: str) -> Ending | None:
    """The longest known surname ending of a normalised token, leaving a stem of 2+ letters."""
    cyrillic = is_cyrillic(token)
    form = token if cyrillic else fold_ascii(token)
    table = _endings_by_text()
    longest = len(_endings()[0][0]) if _endings() else 0
    for size in range(min(longest, len(form) - 2), 0, -1):
        found = table.get((form[-size:], cyrillic))
        if found:
            return Ending(found[0], found[1], form[-size:], form[:-size])
    return None


def _initials_of(norm: str, variants: dict[str, str], ids: frozenset[str]) -> frozenset[str]:
    """Latin first letters a token may be abbreviated to, across scripts and name forms."""
    letters = {v[0] for v in variants if v}
    if not ids:
        return frozenset(letters)
    for name in given_names():
        if name.id in ids:
            for form in name.cyrillic + name.latin:
                letters.update(v[0] for v in latin_variants(form) if v)
                folded = fold_ascii(form)
                if folded:
                    letters.add(folded[0])
    return frozenset(letters)


@functools.lru_cache(maxsize=200_000)
def token_info(norm: str) -> TokenInfo:
    """Features of a normalised token (cached)."""
    variants = dict(latin_variants(norm))
    ids = given_name_ids(norm)
    split = patronymic_split(norm)
    return TokenInfo(
        norm=norm,
        variants=variants,
        sounds=tuple(dict.fromkeys(sound(v) for v in variants)),
        skeleton=skeleton(norm),
        given_ids=ids,
        patronymic_ids=patronymic_ids(split[0]) if split else frozenset(),
        patronymic_gender=split[1] if split else "",
        ending=surname_ending(norm),
        initials=_initials_of(norm, variants, ids | (patronymic_ids(split[0]) if split else ids)),
    )


@functools.lru_cache(maxsize=1024)
def initial_letters(letter: str) -> frozenset[str]:
    """Latin letters an initial may stand for ('ю' → i, j, u, y)."""
    return frozenset(v[0] for v in latin_variants(letter) if v)


_VOWEL_RUNS = re.compile(r"[a-z]+")


@functools.lru_cache(maxsize=200_000)
def _shape(sound_form: str) -> tuple[str, tuple[str, ...]]:
    """A sound form's consonants with each vowel group as '.', and the vowel groups."""
    return _VOWEL_RUNS.sub(".", sound_form), tuple(_VOWEL_RUNS.findall(sound_form))


_SAME_RUNS = re.compile(r"(.)\1+")


def typo_keys(token: TokenInfo) -> tuple[str, ...]:
    """Vowel keys with repeated letters run together: forms a typo is one edit away from."""
    return _typo_keys(token.sounds)


@functools.lru_cache(maxsize=200_000)
def _typo_keys(sounds: tuple[str, ...]) -> tuple[str, ...]:
    """Typo keys of a token's sound forms, in a fixed order (cached)."""
    return tuple(sorted({_fold(s) for s in sounds}))


def one_slip_apart(a: TokenInfo, b: TokenInfo) -> bool:
    """True when two tokens' typo keys start alike and are one edit (or swap) apart.

    The first letter is the one people get right (typing and copying slips fall later in a
    word); without it Kerch and Port would be one slip apart. Keys that are equal are no slip:
    their vowels differ, and the vowel rule has judged them (Parshin/Person are two names).
    """
    for x in typo_keys(a):
        if len(x) < TYPO_MIN_LENGTH:
            continue
        for y in typo_keys(b):
            if len(y) < TYPO_MIN_LENGTH or x[0] != y[0]:
                continue
            if OSA.distance(x, y, score_cutoff=1) == 1:
                return True
    return _merged_slip(a.sounds, b.sounds)


def _merged_slip(xs: tuple[str, ...], ys: tuple[str, ...]) -> bool:
    """True when one letter dropped from the longer sound form leaves the other, runs merged.

    A consonant lost between two like vowels (АВАКАЎ → АВААЎ) or changed into one of them
    (ДАМАРНАЦКІ → DAAARNACKI) merges the vowel groups around it: two edits to the typo keys,
    one slip to the writer. The neighbours must be alike before а/е/я are folded (or BYKOV
    would be BELYAKOV without its L); the results are compared as typo keys.
    """
    for x in xs:
        for y in ys:
            if len(x) == len(y) or x[:1] != y[:1]:
                continue
            short, long_ = (x, y) if len(x) < len(y) else (y, x)
            key = _fold(short)
            if len(key) < TYPO_MIN_LENGTH:
                continue
            if any(_fold(merged) == key for merged in _merged_forms(long_)):
                return True
    return False


@functools.lru_cache(maxsize=200_000)
def _merged_forms(sound_form: str) -> tuple[str, ...]:
    """A sound form with one consonant dropped between two equal vowel groups or letters."""
    found = []
    for i in range(1, len(sound_form) - 1):
        if not sound_form[i].isupper() and sound_form[i] != "u":  # u: also в/v between vowels
            continue
        left = _VOWELS_BEFORE.search(sound_form, 0, i)
        right = _VOWELS_AFTER.match(sound_form, i + 1)
        if left and right and left.group(0) == right.group(0):
            found.append(sound_form[:i] + sound_form[right.end() :])
        elif sound_form[i - 1] == sound_form[i + 1] and sound_form[i - 1].isupper():
            found.append(sound_form[:i] + sound_form[i + 2 :])
    return tuple(found)


# Vowel groups of a sound form; u (у, ў, в, v, w) counts as a consonant here.
_VOWELS_BEFORE = re.compile(r"[ai]+$")
_VOWELS_AFTER = re.compile(r"[ai]+")


def _fold(sound_form: str) -> str:
    """The typo key of one sound form: а/е/я folded, repeated letters run together."""
    return _SAME_RUNS.sub(r"\1", sound_form.replace("a", "i"))


@functools.lru_cache(maxsize=200_000)
def merged_deletions(key: str) -> frozenset[str]:
    """Each one-letter deletion of a key that merges two equal neighbours, run together."""
    return frozenset(
        key[: i - 1] + key[i + 1 :] for i in range(1, len(key) - 1) if key[i - 1] == key[i + 1]
    )


@functools.lru_cache(maxsize=100_000)
def _stem_sound_forms(stem: str) -> tuple[str, ...]:
    """Sound forms of a surname stem's Latin spellings."""
    return tuple(dict.fromkeys(sound(v) for v in latin_variants(stem)))


def _stem_keys(stem: str) -> tuple[str, ...]:
    """Typo keys of a surname stem's sound forms."""
    return _typo_keys(_stem_sound_forms(stem))


def stems_one_slip_apart(a: TokenInfo, b: TokenInfo) -> bool:
    """True when two surnames of one ending family and gender have stems one slip apart.

    The slip falls on top of a Belarusian/Russian ending pair (ЗАЙЦАЎ typed as ЗАЙЕВ against
    ZAITSEV): the whole tokens are two differences apart, their stems one. The tokens must be
    long enough for the typo rule, and the first letter is kept, as in `one_slip_apart`.
    """
    ea, eb = a.ending, b.ending
    if not ea or not eb or ea.family != eb.family or ea.gender != eb.gender:
        return False
    if not any(len(k) >= TYPO_MIN_LENGTH for k in typo_keys(a)):
        return False
    if not any(len(k) >= TYPO_MIN_LENGTH for k in typo_keys(b)):
        return False
    for x in _stem_keys(ea.stem):
        for y in _stem_keys(eb.stem):
            if x[:1] != y[:1] or x == y:
                continue
            if OSA.distance(x, y, score_cutoff=1) == 1:
                return True
    return _merged_slip(_stem_sound_forms(ea.stem), _stem_sound_forms(eb.stem))


_SURNAME_PAIRS: dict[tuple[str, str], tuple[float, str]] = {}


def surname_similarity(a: TokenInfo, b: TokenInfo) -> tuple[float, str]:
    """Token similarity of two surnames, with one typing slip forgiven up to TYPO_SCORE."""
    key = (a.norm, b.norm)
    found = _SURNAME_PAIRS.get(key)
    if found is None:
        found = token_similarity(a, b)
        if SLIP_FLOOR <= found[0] < TYPO_SCORE:
            if one_slip_apart(a, b):
                found = (TYPO_SCORE, "≈ one letter off")
            elif stems_one_slip_apart(a, b):
                found = (TYPO_SCORE, "≈ one letter off, be-ru ending")
        if len(_SURNAME_PAIRS) >= PAIR_CACHE_SIZE:
            _SURNAME_PAIRS.clear()
        _SURNAME_PAIRS[key] = found
    return found


def vowel_keys(token: TokenInfo) -> frozenset[str]:
    """Sound forms with а/е/я folded together: tokens the vowel rule joins share one."""
    return frozenset(s.replace("a", "i") for s in token.sounds)


def _vowel_differences(x: tuple[str, ...], y: tuple[str, ...]) -> int:
    """Vowel groups that differ only as а/е/я do between Belarusian and Russian (else 99).

    The Belarusian side has the а every time (Чарнышоў/Чернышев): a name with а and е swapped
    both ways (Parshin/Person) is another name.
    """
    differ = 0
    sides = set()
    for p, q in zip(x, y, strict=True):
        if p != q:
            if p.replace("a", "i") != q.replace("a", "i"):
                return 99
            sides.add(p < q)
            differ += 1
    return differ if len(sides) <= 1 else 99


def vowel_score(a: TokenInfo, b: TokenInfo) -> float:
    """VOWEL_SCORE when two tokens have one consonant shape and differ in few vowel groups."""
    for x in a.sounds:
        shape_x, vowels_x = _shape(x)
        consonants = len(shape_x) - len(vowels_x)
        allowed = VOWEL_DIFFERENCES[consonants >= 3]
        for y in b.sounds:
            shape_y, vowels_y = _shape(y)
            if consonants >= 2 and shape_x == shape_y:
                if _vowel_differences(vowels_x, vowels_y) <= allowed:
                    return VOWEL_SCORE
    return 0.0


def sound_score(a: TokenInfo, b: TokenInfo) -> float:
    """Best similarity of the two tokens' sound forms (vowels folded, not dropped), capped."""
    best = max((Indel.normalized_similarity(x, y) for x in a.sounds for y in b.sounds), default=0.0)
    return SOUND_CAP * best


def spelling_score(a: TokenInfo, b: TokenInfo) -> tuple[float, str]:
    """Best similarity of the two tokens' Latin spellings, and the scheme that gave it."""
    best, how = 0.0, ""
    for va, sa in a.variants.items():
        for vb, sb in b.variants.items():
            score = Indel.normalized_similarity(va, vb)
            if score > best:
                best, how = score, sa if sa != "latin" else sb
                if best == 1.0:
                    return best, how
    return best, how


@functools.lru_cache(maxsize=100_000)
def _stem_sounds(stem: str) -> frozenset[str]:
    """Sound forms of a surname stem of two consonants or more."""
    forms = (sound(v) for v in latin_variants(stem))
    return frozenset(s for s in forms if sum(ch.isupper() for ch in s) >= 2)


_PAIRS: dict[tuple[str, str], tuple[float, str]] = {}
#: Token pairs remembered; names repeat their tokens, so most pairs come back.
PAIR_CACHE_SIZE = 500_000


def token_similarity(a: TokenInfo, b: TokenInfo) -> tuple[float, str]:
    """Similarity of two tokens in [0, 1] and a short note on how they matched (cached)."""
    if a.norm == b.norm:
        return 1.0, "="
    key = (a.norm, b.norm)
    found = _PAIRS.get(key)
    if found is None:
        if len(_PAIRS) >= PAIR_CACHE_SIZE:
            _PAIRS.clear()
        found = _PAIRS[key] = _token_similarity(a, b)
    return found


def _token_similarity(a: TokenInfo, b: TokenInfo) -> tuple[float, str]:
    """Similarity of two different tokens and how they matched."""
    spelled, scheme = spelling_score(a, b)
    if spelled == 1.0:
        return 1.0, f"= via {scheme}" if scheme not in ("latin", "") else "="
    candidates = [(spelled, f"≈ by spelling ({spelled:.2f})")]
    ea, eb = a.ending, b.ending
    if ea and eb and ea.family == eb.family and ea.gender == eb.gender and ea.ending != eb.ending:
        if _stem_sounds(ea.stem) & _stem_sounds(eb.stem):
            pair = f"-{fold_ascii(ea.ending) or ea.ending}/-{fold_ascii(eb.ending) or eb.ending}"
            candidates.append((ENDING_SCORE, f"≈ via be-ru ending {pair}"))
    if spelled < VOWEL_SCORE and vowel_score(a, b):
        candidates.append((VOWEL_SCORE, "≈ by sound, vowels differ"))
    sounded = sound_score(a, b)
    if sounded > spelled:
        candidates.append((sounded, f"≈ by sound ({sounded:.2f})"))
    return max(candidates, key=lambda c: c[0])  # the first of equals: the table's reason


def given_similarity(a: TokenInfo, b: TokenInfo) -> tuple[float, str]:
    """Similarity of two given names, using the be/ru name table first."""
    if a.given_ids and b.given_ids:
        if a.given_ids & b.given_ids:
            how = "=" if a.norm == b.norm else "= via be/ru name table"
            return 1.0, how
        score, _ = token_similarity(a, b)
        return min(score, DIFFERENT_NAME_CAP), "≠ different names in the name table"
    return token_similarity(a, b)


def patronymic_similarity(a: TokenInfo, b: TokenInfo) -> tuple[float, str]:
    """Similarity of two patronymics, reading their stems as given names."""
    if a.patronymic_ids and b.patronymic_ids and a.patronymic_ids & b.patronymic_ids:
        return 1.0, "=" if a.norm == b.norm else "= via be/ru name table"
    score, how = token_similarity(a, b)
    if a.patronymic_ids and b.patronymic_ids and score < 1.0:
        return min(score, DIFFERENT_NAME_CAP), "≠ patronymics of different names"
    return score, how


def initial_matches(letter: str, token: TokenInfo) -> bool:
    """True when an initial could abbreviate the token in any script or name form."""
    return bool(initial_letters(letter) & token.initials)


def loose_form(token: str) -> str:
    """A loose Latin spelling of a token (for keys and display)."""
    variants = latin_variants(token)
    first = next(iter(variants), token)
    return loose(first)
