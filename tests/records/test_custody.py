import datetime as dt
from decimal import Decimal

from vigil.records.custody import Custody, _ActFacts, derive


def fact(kind, date=None, months=None, regime=None, measure=None, suspended=False):
    return _ActFacts(
        kind, kind, date, Decimal(months) if months else None, regime, measure, suspended
    )


D = dt.date


def test_no_acts_means_unknown_custody():
    assert derive([]).status is Custody.UNKNOWN


def test_arrest_without_release_is_custody_since_the_arrest():
    state = derive([fact("arrest", D(2021, 3, 4))])
    assert state.status is Custody.IN_CUSTODY and state.since == D(2021, 3, 4)


def test_release_after_arrest_ends_custody():
    state = derive([fact("release", D(2022, 1, 1)), fact("arrest", D(2021, 3, 4))])
    assert state.status is Custody.NOT_IN_CUSTODY


def test_home_confinement_sentence_is_restricted_liberty_not_custody():
    state = derive(
        [
            fact("arrest", D(2021, 3, 4)),
            fact(
                "sentence", D(2021, 6, 1), months=24, measure="restriction_measure.home_confinement"
            ),
        ],
        today=D(2022, 1, 1),
    )
    assert state.status is Custody.RESTRICTED


def test_imprisonment_term_counts_from_the_arrest_and_flags_an_unrecorded_release():
    state = derive(
        [
            fact("arrest", D(2020, 1, 15)),
            fact("sentence", D(2020, 6, 1), months=24, regime="general_colony"),
        ]
    )
    assert state.status is Custody.TERM_ENDED
    assert state.since == D(2020, 1, 15)
    assert state.term_ends == D(2022, 1, 15)
    assert state.term_expired_without_release
    facts = [
        fact("arrest", D(2020, 1, 15)),
        fact("sentence", D(2020, 6, 1), months=24, regime="general_colony"),
    ]
    assert derive(facts, today=D(2022, 1, 15)).status is Custody.IN_CUSTODY
    assert derive(facts, today=D(2022, 1, 16)).status is Custody.TERM_ENDED


def test_suspended_sentence_ends_pretrial_custody():
    state = derive(
        [fact("arrest", D(2021, 1, 1)), fact("sentence", D(2021, 5, 1), months=36, suspended=True)]
    )
    assert state.status is Custody.NOT_IN_CUSTODY


def test_same_day_arrest_and_release_ends_released():
    state = derive([fact("release", D(2021, 1, 1)), fact("arrest", D(2021, 1, 1))])
    assert state.status is Custody.NOT_IN_CUSTODY


def test_a_detention_known_only_by_its_end_keeps_custody_since_the_arrest():
    until_sentenced = _ActFacts(
        "detention", "detention", None, None, None, None, False, D(2011, 11, 24)
    )
    state = derive(
        [until_sentenced, fact("arrest", D(2011, 8, 4)), fact("sentence", D(2011, 11, 24), 54)],
        today=D(2012, 1, 1),
    )
    assert state.status is Custody.IN_CUSTODY
    assert state.since == D(2011, 8, 4)
    assert state.term_ends == D(2016, 2, 4)


def test_a_fine_alone_ends_pretrial_custody_and_a_fine_beside_a_term_does_not():
    fined = _ActFacts("s", "sentence", D(2021, 5, 1), None, None, None, False, None, Decimal(100))
    assert derive([fact("arrest", D(2021, 1, 1)), fined]).status is Custody.NOT_IN_CUSTODY
    both = _ActFacts(
        "s", "sentence", D(2021, 5, 1), Decimal(120), "colony", None, False, None, Decimal(100)
    )
    state = derive([fact("arrest", D(2021, 1, 1)), both], today=D(2026, 1, 1))
    assert state.status is Custody.IN_CUSTODY


def test_term_ended_without_release_is_its_own_state_and_never_in_custody():
    facts = [fact("arrest", D(2020, 8, 10)), fact("sentence", D(2021, 3, 1), 54)]
    state = derive(facts, today=D(2026, 12, 5))
    assert state.status is Custody.TERM_ENDED
    assert state.term_ends == D(2025, 2, 10) and state.term_expired_without_release
    assert derive(facts, today=D(2025, 2, 10)).status is Custody.IN_CUSTODY


def test_restricted_liberty_ends_as_term_ended_when_its_term_has_passed():
    facts = [fact("sentence", D(2019, 1, 1), 24, measure="restriction_measure.open_facility")]
    assert derive(facts, today=D(2020, 12, 31)).status is Custody.RESTRICTED
    assert derive(facts, today=D(2021, 1, 2)).status is Custody.TERM_ENDED
