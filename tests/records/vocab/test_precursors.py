"""Precursor act types: terms of the act_type vocabulary, labelled in en, ru and be."""

from __future__ import annotations

import pytest

from vigil.records.precursors import PRECURSOR_ACT_TYPES, SIGNALS, signal_of
from vigil.records.vocabularies import load

ISSUE_SIGNALS = """summons_questioning search administrative_detention administrative_fine
    disbarment_proceedings licence_lost failed_recertification travel_restriction
    travel_document_seizure threat surveillance state_media_smear extremist_or_terrorist_list
    criminal_case_opened organisation_designated""".split()


def test_every_signal_the_issue_names_has_act_types():
    assert set(ISSUE_SIGNALS) == set(SIGNALS)
    assert all(SIGNALS[name] for name in ISSUE_SIGNALS)


@pytest.mark.parametrize("key", sorted(PRECURSOR_ACT_TYPES))
def test_every_precursor_is_an_act_type_labelled_in_three_languages(key):
    term = load("act_type")[key]
    assert term.label_en and term.label_ru and term.label_be
    assert term.label_ru != term.label_be


def test_an_arrest_is_the_outcome_not_a_precursor():
    assert signal_of("arrest") == []
    assert "sentence" not in PRECURSOR_ACT_TYPES
    assert signal_of("exit_ban") == ["travel_restriction"]
