"""Early-warning signals: only what was known before the cut-off, each naming its records."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from vigil.warning.model import MIN_EVENTS, HazardModel
from vigil.warning.outcomes import Outcome, precursor_acts
from vigil.warning.panel import build_panel, monthly_cutoffs
from vigil.warning.record import WarningRecord
from vigil.warning.signals import FEATURES, prepare, signal_sources, signals_at

D = dt.date


def record(acts: list[tuple], members: list[tuple] = (), counsel: list[tuple] = (),
           org_acts: list[tuple] = ()) -> WarningRecord:  # fmt: skip
    return WarningRecord(
        acts=pd.DataFrame(
            acts, columns=["act", "person", "act_type", "date", "known", "detention_days", "event"]
        ),
        members=pd.DataFrame(list(members), columns=["person", "organisation"]),
        counsel=pd.DataFrame(list(counsel), columns=["lawyer", "client", "act"]),
        org_acts=pd.DataFrame(
            list(org_acts), columns=["act", "organisation", "act_type", "date", "known"]
        ),
    )


def test_an_act_is_a_signal_only_from_its_known_since_date_not_its_own_date():
    rec = record([("a1", "p1", "administrative_arrest", D(2020, 1, 10), D(2020, 3, 5), 15, "e1")])
    t = prepare(rec, Outcome.CRIMINAL)
    assert "p1" not in signals_at(t, D(2020, 2, 1)).index
    later = signals_at(t, D(2020, 4, 1)).loc["p1"]
    assert later["n_administrative_detention"] == 1
    assert later["recent_detention_90"] == 1  # 82 days after the detention itself
    assert np.isclose(later["log_detention_days_total"], np.log1p(15))


def test_an_act_without_known_since_is_known_from_its_date():
    rec = record([("a1", "p1", "search", D(2020, 1, 10), None, None, "e1")])
    t = prepare(rec, Outcome.CRIMINAL)
    assert signals_at(t, D(2020, 1, 11)).loc["p1", "n_search"] == 1
    assert "p1" not in signals_at(t, D(2020, 1, 10)).index


def test_detention_on_the_day_of_the_criminal_arrest_is_the_outcome_not_a_signal():
    rec = record(
        [
            ("a1", "p1", "administrative_arrest", D(2020, 5, 1), D(2020, 5, 1), 3, "e1"),
            ("a2", "p1", "arrest", D(2020, 5, 1), D(2020, 5, 2), None, "e2"),
            ("a3", "p1", "administrative_arrest", D(2020, 2, 1), D(2020, 2, 1), 10, "e3"),
        ]
    )
    kept = set(precursor_acts(rec.acts, Outcome.CRIMINAL)["act"])
    assert kept == {"a3"}
    # Studying any detention, past detentions are signals and future ones outcomes.
    assert set(precursor_acts(rec.acts, Outcome.ANY)["act"]) == {"a1", "a2", "a3"}


def test_codefendant_arrested_in_the_last_90_days_is_a_signal_naming_the_arrest():
    rec = record(
        [
            ("a1", "p1", "charge", D(2020, 1, 1), D(2020, 1, 1), None, "case"),
            ("a2", "p2", "arrest", D(2020, 1, 5), D(2020, 1, 20), None, "case"),
        ]
    )
    t = prepare(rec, Outcome.CRIMINAL)
    assert signals_at(t, D(2020, 2, 1)).loc["p1", "codefendant_arrested_90"] == 1
    assert signal_sources(t, "p1", D(2020, 2, 1)) == {"codefendant_arrested_90": ["a2"]}
    # Known on 20 January: not yet a signal on the 15th, no longer one after 90 days.
    assert "p1" not in signals_at(t, D(2020, 1, 15)).index
    assert "p1" not in signals_at(t, D(2020, 4, 20)).index


def test_colleague_client_and_designated_organisation_signals():
    rec = record(
        [
            ("a1", "p2", "arrest", D(2021, 3, 1), D(2021, 3, 1), None, "e1"),
            ("a2", "client", "sentence", D(2021, 2, 1), D(2021, 2, 3), None, "e2"),
        ],
        members=[("p1", "bar"), ("p2", "bar"), ("p3", "ngo")],
        counsel=[("p3", "client", "a2")],
        org_acts=[("o1", "ngo", "extremist_designation", D(2021, 1, 5), D(2021, 1, 6))],
    )
    rows = signals_at(prepare(rec, Outcome.CRIMINAL), D(2021, 4, 1))
    assert rows.loc["p1", "colleague_arrested_90"] == 1
    assert rows.loc["p3", "client_convicted"] == 1
    assert rows.loc["p3", "organisation_designated"] == 1
    assert rows.loc["p3", "colleague_arrested_90"] == 0
    sources = signal_sources(prepare(rec, Outcome.CRIMINAL), "p3", D(2021, 4, 1))
    assert sources == {"client_convicted": ["a2"], "organisation_designated": ["o1"]}


def test_panel_labels_an_arrest_within_the_horizon_and_drops_the_arrested():
    rec = record(
        [
            ("a1", "p1", "administrative_arrest", D(2020, 1, 5), D(2020, 1, 6), 10, "e1"),
            ("a2", "p1", "arrest", D(2020, 3, 10), D(2020, 4, 15), None, "e2"),
            ("a3", "p2", "search", D(2020, 1, 5), D(2020, 1, 5), None, "e3"),
        ]
    )
    t = prepare(rec, Outcome.CRIMINAL)
    panel = build_panel(t, monthly_cutoffs(D(2020, 2, 1), D(2020, 5, 1)), 30, Outcome.CRIMINAL)
    p1 = panel[panel["person"] == "p1"].set_index("cutoff")
    assert p1["label"].to_dict() == {pd.Timestamp(2020, 2, 1): 0, pd.Timestamp(2020, 3, 1): 1}
    # The arrest became known on 15 April: a model fitted before then must not see the label.
    assert p1.loc[pd.Timestamp(2020, 3, 1), "label_known"] == pd.Timestamp(2020, 4, 15)
    assert set(panel[panel["cutoff"] == pd.Timestamp(2020, 4, 1)]["person"]) == {"p2"}
    assert set(FEATURES) <= set(panel.columns)


def test_too_few_events_fall_back_to_the_points_baseline_and_say_how_many_are_needed():
    rows = pd.DataFrame(0.0, index=range(200), columns=list(FEATURES))
    rows.loc[:4, "recent_detention_90"] = 1.0
    y = np.zeros(200, dtype=int)
    y[:5] = 1
    model = HazardModel().fit(rows, y)
    assert not model.fitted
    assert f"at least {MIN_EVENTS}" in model.fallback_reason and "5 events" in model.fallback_reason
    p = model.predict(rows)
    assert p[0] > p[-1]  # the points baseline still ranks the detained higher


def test_a_score_comes_with_the_signals_that_raised_it():
    rng = np.random.default_rng(0)
    rows = pd.DataFrame(0.0, index=range(2000), columns=list(FEATURES))
    rows["recent_detention_90"] = (rng.random(2000) < 0.2).astype(float)
    rows["n_search"] = (rng.random(2000) < 0.2).astype(float)
    y = (rng.random(2000) < np.where(rows["recent_detention_90"] == 1, 0.3, 0.02)).astype(int)
    model = HazardModel().fit(rows, y)
    assert model.fitted and model.coefficients["recent_detention_90"] > 0.5
    both = rows[(rows["recent_detention_90"] == 1) & (rows["n_search"] == 1)].iloc[0]
    assert model.reasons(both)[0][0] == "recent_detention_90"
    calibrated = model.predict(rows)
    assert abs(calibrated.mean() - y.mean()) < 0.02


def test_calibrating_on_the_latest_rows_follows_a_base_rate_that_moved():
    rng = np.random.default_rng(1)
    rows = pd.DataFrame(0.0, index=range(4000), columns=list(FEATURES))
    rows["recent_detention_90"] = (rng.random(4000) < 0.3).astype(float)
    late = np.arange(4000) >= 3000  # the latest quarter: a wave, five times the rate
    base = np.where(late, 0.10, 0.02) * np.where(rows["recent_detention_90"] == 1, 3, 1)
    y = (rng.random(4000) < base).astype(int)
    everywhere = HazardModel().fit(rows, y).predict(rows[late]).mean()
    latest = HazardModel().fit(rows, y, recent=late).predict(rows[late]).mean()
    observed = y[late].mean()
    assert abs(latest - observed) < abs(everywhere - observed)
    assert abs(latest - observed) < 0.03


def test_linked_persons_count_as_one_so_a_zubr_detention_precedes_the_viasna_arrest():
    rec = record(
        [
            ("z1", "zubr-p", "administrative_arrest", D(2020, 8, 10), D(2020, 8, 12), 15, "e1"),
            ("v1", "viasna-p", "arrest", D(2020, 10, 5), D(2020, 10, 5), None, "e2"),
        ]
    )
    apart = build_panel(prepare(rec, Outcome.CRIMINAL), [pd.Timestamp(2020, 9, 1)], 90,
                        Outcome.CRIMINAL)  # fmt: skip
    assert apart["label"].sum() == 0  # the detained ZUBR person is never arrested
    rec.merge_persons({"zubr-p": "viasna-p"})
    assert rec.links_used == 1
    joined = build_panel(prepare(rec, Outcome.CRIMINAL), [pd.Timestamp(2020, 9, 1)], 90,
                         Outcome.CRIMINAL)  # fmt: skip
    assert joined.set_index("person").loc["viasna-p", "label"] == 1
