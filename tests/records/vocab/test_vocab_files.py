"""The shipped vocabulary files: complete, consistent and labelled in three languages."""

from __future__ import annotations

import csv
import io
import re
from importlib import resources

import pytest

from vigil.records.vocabularies import COLUMNS, load, vocabularies

REQUIRED: dict[str, set[str]] = {
    name: set(keys.split())
    for name, keys in {
        "act_type": """warning summons interrogation search arrest detention charge indictment
            trial sentence appeal_decision cassation_decision disbarment licence_suspension
            extremist_designation terrorist_designation liquidation ban travel_ban confiscation
            fine ill_treatment incommunicado_detention denial_of_counsel refusal_of_entry release
            pardon forced_exile death_in_custody administrative_arrest house_arrest
            charges_dismissed torture threat dismissal surveillance deportation visa_refusal""",
        "perpetrator_role": """presiding_judge judge prosecutor investigator ordering_official
            responsible_agency law_author interrogator police_officer prison_official other""",
        "involvement_degree": "carried_out ordered planned other unknown",
        "source_reliability": """highly_reliable likely_reliable unsure likely_unreliable
            highly_unreliable unknown unverified_secondary reader_comment""",
        "source_type": """document court_record testimony web_page media_report un_document
            official_statement sanctions_list dataset""",
        "intervention_type": """wgad_opinion urgent_appeal allegation_letter hrc_resolution
            hrc_statement upr_recommendation treaty_body_views osce_action coe_action
            government_statement sanctions_designation bar_statement campaign
            endangered_lawyer_day trial_monitoring defence_fund_grant relocation""",
        "intervention_status": "pending responded overdue",
        "state_response": """none acknowledged rejected supported noted partially_supported
            pending""",
        "detention_regime": """general_colony medium_colony maximum_colony special_colony
            high_security_prison juvenile_colony settlement_colony""",
        "restriction_measure": """open_facility home_confinement restricted_freedom
            probation_supervision""",
        "profession": """lawyer legal_consultant judge prosecutor investigator journalist
            human_rights_defender activist official other""",
        "organisation_kind": """ngo bar_association legal_consultation_office media court
            prosecutors_office investigative_committee kgb mvd ministry prison
            international_body foreign_government un_mechanism political_party company other""",
        "chain_relation": "precedes follows causes related",
        "fair_trial_check": """public_hearing counsel_access defendant_caged interpretation
            equality_of_arms verdict_public""",
    }.items()
}
VOCABULARIES = sorted(REQUIRED)
HURIDOCS_CODE = re.compile(r"\d{14}")
HURIDOCS_SOURCE = re.compile(r"HURIDOCS mt_(\d+)")
# Letters each language has and the other lacks: a cheap guard against a swapped column.
RUSSIAN_ONLY = set("иИщЩъЪ")
BELARUSIAN_ONLY = set("іІўЎ")


def raw_rows(vocabulary: str) -> list[dict[str, str]]:
    """Rows of a shipped file, read without the loader's own checks."""
    text = resources.files("vigil.records.vocab").joinpath(f"{vocabulary}.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_vocabularies_lists_exactly_the_expected_files() -> None:
    assert vocabularies() == VOCABULARIES


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_every_vocabulary_file_loads_with_the_documented_columns(vocabulary: str) -> None:
    text = resources.files("vigil.records.vocab").joinpath(f"{vocabulary}.csv").read_text("utf-8")
    assert tuple(csv.DictReader(io.StringIO(text)).fieldnames or ()) == COLUMNS
    assert len(load(vocabulary)) == len(raw_rows(vocabulary)) > 0


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_keys_and_codes_are_unique_within_a_vocabulary(vocabulary: str) -> None:
    rows = raw_rows(vocabulary)
    assert len({r["key"] for r in rows}) == len(rows)
    assert len({r["code"] for r in rows}) == len(rows)


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_every_required_key_exists(vocabulary: str) -> None:
    assert REQUIRED[vocabulary] - set(load(vocabulary)) == set()


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_keys_are_short_snake_case(vocabulary: str) -> None:
    for key in load(vocabulary):
        assert re.fullmatch(r"[a-z][a-z0-9_]*", key) and len(key) <= 80, key


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_every_term_has_english_russian_and_belarusian_labels(vocabulary: str) -> None:
    for term in load(vocabulary).values():
        assert term.label_en and term.label_ru and term.label_be, term.key
        assert max(map(len, (term.label_en, term.label_ru, term.label_be))) <= 200, term.key


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_russian_and_belarusian_labels_are_not_swapped(vocabulary: str) -> None:
    for term in load(vocabulary).values():
        assert not RUSSIAN_ONLY & set(term.label_be), (term.key, term.label_be)
        assert not BELARUSIAN_ONLY & set(term.label_ru), (term.key, term.label_ru)


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_belarusian_labels_are_marked_unreviewed(vocabulary: str) -> None:
    assert {r["be_reviewed"] for r in raw_rows(vocabulary)} == {"no"}


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_parents_resolve_within_the_vocabulary_without_loops(vocabulary: str) -> None:
    terms = load(vocabulary)
    for term in terms.values():
        seen = {term.key}
        parent = term.parent
        while parent is not None:
            assert parent in terms, (term.key, parent)
            assert parent not in seen, f"loop through {parent}"
            seen.add(parent)
            parent = terms[parent].parent


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_codes_are_huridocs_numbers_of_the_named_list_or_vigil_keys(vocabulary: str) -> None:
    for term in load(vocabulary).values():
        if term.source == "Vigil":
            assert term.code == f"vigil:{term.key}"
            assert term.huridocs_code is None
            continue
        match = HURIDOCS_SOURCE.fullmatch(term.source)
        assert match, term.source
        assert HURIDOCS_CODE.fullmatch(term.code), term.code
        # a vocab_number ends with the number of its list
        assert int(term.code[-2:]) == int(match.group(1)), (term.key, term.code)
        assert term.huridocs_code == term.code


def test_act_types_map_to_huridocs_where_a_term_fits() -> None:
    acts = load("act_type")
    assert acts["arrest"].code == "03010100000004"
    assert acts["torture"].source == "HURIDOCS mt_4"
    assert acts["disbarment"].code == "vigil:disbarment"
    assert acts["disbarment"].parent == "work_licence_restriction"
    assert acts["incommunicado_detention"].parent == "detention"
