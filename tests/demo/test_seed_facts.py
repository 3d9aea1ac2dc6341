"""The demo's seed facts: the packaged file loads, every quote is verbatim, nothing is invented."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.core.errors import ValidationFailed
from vigil.demo.seed_facts import (
    ACT_TYPES,
    Claim,
    SeedFacts,
    check_quotes,
    check_references,
    fold,
    iter_claims,
    load_seed_facts,
    parse_seed_facts,
    validate,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.fixture(scope="module")
def facts() -> SeedFacts:
    """The packaged seed facts."""
    return load_seed_facts()


@pytest.fixture
def seeds_dir() -> Path:
    """The folder of seed articles beside the project, or skip."""
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.skip("seed articles folder not found beside the project (../shared/seeds)")
    return path


def _acts(facts: SeedFacts, event_key: str, act_type: str) -> list:
    """The acts of one type in one event."""
    event = next(e for e in facts.events if e.key == event_key)
    return [a for a in event.acts if a.act_type == act_type]


def _replace_first_claim(facts: SeedFacts, claim: Claim) -> SeedFacts:
    """A copy of the facts whose first statistic cites only the given claim."""
    statistic = dataclasses.replace(facts.statistics[0], claims=(claim,))
    return dataclasses.replace(facts, statistics=(statistic, *facts.statistics[1:]))


def test_seed_facts_file_loads_with_both_seed_sources(facts: SeedFacts) -> None:
    assert {s.seed_file for s in facts.sources if s.seed_file} == {
        "000_a439f83062f71956.txt",
        "003_7aec6bd4d9c44fef.txt",
    }
    assert facts.persons and facts.organisations and facts.events and facts.interventions


def test_every_quote_is_found_verbatim_in_the_right_part_of_its_seed(
    facts: SeedFacts, seeds_dir: Path
) -> None:
    assert validate(facts, seeds_dir) == []


def test_every_referenced_key_exists(facts: SeedFacts) -> None:
    assert check_references(facts) == []


def test_act_types_come_from_the_vocabulary(facts: SeedFacts) -> None:
    act_types = {act.act_type for event in facts.events for act in event.acts}
    assert act_types <= set(ACT_TYPES)
    assert {"warning", "arrest", "sentence", "extremist_designation"} <= act_types


def test_no_person_is_recorded_as_a_lawyer(facts: SeedFacts) -> None:
    recorded = {(p.key, prof.value) for p in facts.persons for prof in p.professions}
    assert not [pair for pair in recorded if pair[1] == "lawyer"]


def test_bialiatski_is_a_defender_and_the_lawyer_error_is_kept_as_rejected(
    facts: SeedFacts,
) -> None:
    person = next(p for p in facts.persons if p.key == "bialiatski")
    assert [prof.value for prof in person.professions] == ["human_rights_defender"]
    rejected = [r for r in person.reported_professions if r.value == "lawyer"]
    assert [r.status for r in rejected] == ["rejected"]
    assert {c.source for r in rejected for c in r.claims} == {"seed-000"}


def test_bialiatski_names_include_every_spelling_of_the_brief(facts: SeedFacts) -> None:
    person = next(p for p in facts.persons if p.key == "bialiatski")
    values = {n.value for n in person.names}
    assert {"Ales Bialiatski", "Бяляцкі", "Беляцкий", "Beliatsky", "Byalyatski"} <= values


def test_claims_found_only_in_readers_comments_are_marked_as_such(facts: SeedFacts) -> None:
    comment_quotes = " ".join(c.quote for _, c in iter_claims(facts) if c.claim == "reader_comment")
    article_quotes = " ".join(c.quote for _, c in iter_claims(facts) if c.claim == "article")
    for phrase in ("40 minutes", "motions were denied", "Article 243, part 2"):
        assert phrase in comment_quotes
        assert phrase not in article_quotes


def test_bialiatski_2011_timeline_is_dated_as_the_article_states(facts: SeedFacts) -> None:
    assert [a.date for a in _acts(facts, "bialiatski-2011", "warning")] == ["2011-02-14"]
    assert [a.date for a in _acts(facts, "bialiatski-2011", "arrest")] == ["2011-08-04"]
    sentence = _acts(facts, "bialiatski-2011", "sentence")
    assert [(a.date, a.sentence_months) for a in sentence] == [("2011-11-24", 54)]
    assert [b.article for b in sentence[0].legal_basis] == ["243"]
    assert {c.claim for b in sentence[0].legal_basis for c in b.claims} == {"reader_comment"}
    victims = {a.victim for a in _acts(facts, "bialiatski-2011", "confiscation")}
    assert victims == {"bialiatski", "viasna"}
    appeal = _acts(facts, "bialiatski-2011", "appeal_decision")
    assert [a.date for a in appeal] == [None]


def test_bahrl_designation_is_an_extremist_designation_in_2025(facts: SeedFacts) -> None:
    acts = _acts(facts, "bahrl-extremist-2025", "extremist_designation")
    assert [(a.victim, a.date) for a in acts] == [("bahrl", "2025")]


def test_october_2011_amendments_are_an_event_without_victim(facts: SeedFacts) -> None:
    event = next(e for e in facts.events if e.key == "law-amendments-2011-10")
    assert (event.date, event.acts) == ("2011-10", ())
    assert event.claims


def test_brahinets_has_no_acts_and_no_recorded_profession(facts: SeedFacts) -> None:
    person = next(p for p in facts.persons if p.key == "brahinets")
    assert person.professions == ()
    victims = {a.victim for e in facts.events for a in e.acts}
    assert "brahinets" not in victims
    targeted = {i.key for i in facts.interventions if "brahinets" in i.targets}
    assert "wgad-release-demand" in targeted


def test_check_quotes_flags_an_invented_quote(facts: SeedFacts, seeds_dir: Path) -> None:
    invented = Claim(source="seed-003", quote="he was sentenced to ten years", claim="article")
    problems = check_quotes(_replace_first_claim(facts, invented), seeds_dir)
    assert any("quote not found" in p for p in problems)


def test_check_quotes_flags_a_comment_quote_marked_as_article(
    facts: SeedFacts, seeds_dir: Path
) -> None:
    misfiled = Claim(source="seed-003", quote="only took 40 minutes", claim="article")
    problems = check_quotes(_replace_first_claim(facts, misfiled), seeds_dir)
    assert any("reader's comment, not the article" in p for p in problems)


def test_check_quotes_flags_an_article_quote_marked_as_comment(
    facts: SeedFacts, seeds_dir: Path
) -> None:
    misfiled = Claim(source="seed-000", quote="more than 1,200", claim="reader_comment")
    problems = check_quotes(_replace_first_claim(facts, misfiled), seeds_dir)
    assert any("not from a reader's comment" in p for p in problems)


def test_check_references_flags_an_unknown_victim(facts: SeedFacts) -> None:
    event = facts.events[0]
    act = dataclasses.replace(event.acts[0], victim="fictional-nobody")
    broken = dataclasses.replace(event, acts=(act, *event.acts[1:]))
    facts = dataclasses.replace(facts, events=(broken, *facts.events[1:]))
    assert any("unknown key 'fictional-nobody'" in p for p in check_references(facts))


def test_check_references_flags_a_duplicate_key(facts: SeedFacts) -> None:
    facts = dataclasses.replace(facts, statistics=facts.statistics + facts.statistics[:1])
    assert any(p.startswith("duplicate key") for p in check_references(facts))


_MINIMAL = """
sources: []
persons: []
organisations: []
statistics: []
interventions: []
events:
  - key: fictional-event
    title: Fictional event for a test
    date: {date}
    acts:
      - act_type: {act_type}
        victim: fictional-person
        date: null
        claims: [{{source: fictional-source, quote: q, claim: article}}]
"""


def test_parse_accepts_a_minimal_fictional_file() -> None:
    parsed = parse_seed_facts(_MINIMAL.format(date='"2011-10"', act_type="arrest"))
    assert parsed.events[0].acts[0].act_type == "arrest"


@pytest.mark.parametrize(
    ("date", "act_type"),
    [
        ('"2011-10"', "abduction_by_aliens"),
        ('"2011-02-30"', "arrest"),
        ('"14.02.2011"', "arrest"),
        ("2011-02-14", "arrest"),
    ],
)
def test_parse_rejects_unknown_act_types_and_bad_dates(date: str, act_type: str) -> None:
    with pytest.raises(ValidationFailed):
        parse_seed_facts(_MINIMAL.format(date=date, act_type=act_type))


def test_parse_rejects_an_unknown_field() -> None:
    text = _MINIMAL.format(date="null", act_type="arrest") + "    colour: red\n"
    with pytest.raises(ValidationFailed):
        parse_seed_facts(text)


@given(st.text())
def test_fold_is_idempotent_and_leaves_no_runs_of_whitespace(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert "  " not in folded
    assert folded == folded.strip()


@given(
    st.lists(st.text(alphabet="abc’", min_size=1), min_size=1), st.sampled_from([" ", "\n  ", "\t"])
)
def test_fold_ignores_how_words_are_separated(words: list[str], separator: str) -> None:
    assert fold(separator.join(words)) == fold(" ".join(words))


def test_check_references_flags_one_seed_article_recorded_as_two_sources(facts: SeedFacts) -> None:
    again = dataclasses.replace(facts.sources[0], key="seed-000-again")
    problems = check_references(dataclasses.replace(facts, sources=(*facts.sources, again)))
    assert any("is two sources" in p for p in problems)


def test_check_references_flags_a_name_with_neither_claims_nor_an_editorial_reason(
    facts: SeedFacts,
) -> None:
    person = facts.persons[0]
    bare = dataclasses.replace(person.names[1], claims=(), editorial="")
    changed = dataclasses.replace(person, names=(person.names[0], bare, *person.names[2:]))
    problems = check_references(dataclasses.replace(facts, persons=(changed, *facts.persons[1:])))
    assert any("needs claims or an editorial reason" in p for p in problems)
