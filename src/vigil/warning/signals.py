"""Signals for a person at a cut-off date: only what was known before that date.

An act counts from its ``known`` date (when the organisation learned it), never from its own
date alone. Each signal can name the records it comes from (:func:`signal_sources`).

Per-person signals: counts of each precursor group (``vigil.records.precursors.SIGNALS``),
how recent the last administrative detention is (decaying by e every 90 days), whether it is
within 90 days, total days of administrative arrest. Network signals: a colleague (same
organisation) or a co-defendant (another person in the same event) arrested in the last 90
days, a client (counsel link) sentenced, the person's organisation designated or liquidated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vigil.records.precursors import SIGNALS
from vigil.warning.outcomes import Outcome, outcome_acts, precursor_acts
from vigil.warning.record import WarningRecord

NETWORK_DAYS = 90
RECENT_DAYS = 90
NEVER_DAYS = 3650.0  # "days since" for a person never detained: ten years
PERSON_GROUPS = tuple(g for g in SIGNALS if g != "organisation_designated")
COUNT_FEATURES = tuple(f"n_{g}" for g in PERSON_GROUPS)
FEATURES: tuple[str, ...] = (
    *COUNT_FEATURES,
    "recent_detention_90",
    "detention_recency",
    "log_detention_days_total",
    "colleague_arrested_90",
    "codefendant_arrested_90",
    "client_convicted",
    "organisation_designated",
)
SENTENCED = frozenset({"sentence", "appeal_decision"})


@dataclass
class SignalTables:
    """What every cut-off reads, prepared once: precursors, arrests, pairs of related persons."""

    precursors: pd.DataFrame
    arrests: pd.DataFrame
    outcomes: pd.DataFrame
    codefendants: pd.DataFrame  # person, other
    colleagues: pd.DataFrame  # person, other
    members: pd.DataFrame
    counsel_sentences: pd.DataFrame  # lawyer, known, act
    designations: pd.DataFrame  # organisation, known, act


def _pairs(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """(person, other) for every two different persons sharing ``key``."""
    rows = frame[["person", key]].drop_duplicates()
    pairs = rows.merge(rows, on=key, suffixes=("", "_other"))
    pairs = pairs[pairs["person"] != pairs["person_other"]]
    return pairs.rename(columns={"person_other": "other"})[["person", "other", key]]


def prepare(record: WarningRecord, outcome: Outcome) -> SignalTables:
    acts = record.acts
    group_of = {t: g for g in PERSON_GROUPS for t in SIGNALS[g]}
    prec = precursor_acts(acts, outcome)
    prec = prec[prec["act_type"].isin(group_of)].copy()
    prec["group"] = prec["act_type"].map(group_of)
    # Network signals read arrests (criminal) of others, whatever the outcome studied.
    arrests = outcome_acts(acts, Outcome.CRIMINAL)
    sentences = acts[acts["act_type"].isin(SENTENCED)][["act", "person", "known"]]
    counsel = record.counsel.merge(
        sentences, left_on="client", right_on="person", suffixes=("_counsel", "")
    )
    counsel = counsel.rename(columns={"act": "act"})[["lawyer", "known", "act"]]
    org = record.org_acts
    designations = org[org["act_type"].isin(SIGNALS["organisation_designated"])]
    return SignalTables(
        precursors=prec,
        arrests=arrests,
        outcomes=outcome_acts(acts, outcome),
        codefendants=_pairs(acts, "event"),
        colleagues=_pairs(record.members, "organisation"),
        members=record.members,
        counsel_sentences=counsel,
        designations=designations[["organisation", "known", "act"]],
    )


def _recently_arrested(t: SignalTables, cutoff: pd.Timestamp) -> pd.DataFrame:
    window = cutoff - pd.Timedelta(days=NETWORK_DAYS)
    a = t.arrests
    return a[(a["known"] < cutoff) & (a["known"] >= window) & (a["date"] < cutoff)]


def signals_at(t: SignalTables, cutoff: dt.date | pd.Timestamp) -> pd.DataFrame:
    """One row per person with any signal known before ``cutoff`` (index: person)."""
    c = pd.Timestamp(cutoff)
    known = t.precursors[t.precursors["known"] < c]
    counts = known.pivot_table(
        index="person", columns="group", values="act", aggfunc="count", fill_value=0
    )
    counts = counts.reindex(columns=list(PERSON_GROUPS), fill_value=0)
    counts.columns = list(COUNT_FEATURES)
    detentions = known[known["group"] == "administrative_detention"]
    last = detentions.groupby("person")["date"].max()
    total_days = detentions.groupby("person")["detention_days"].sum()

    arrested = set(_recently_arrested(t, c)["person"])
    codef = t.codefendants[t.codefendants["other"].isin(arrested)]["person"]
    colleague = t.colleagues[t.colleagues["other"].isin(arrested)]["person"]
    client = t.counsel_sentences[t.counsel_sentences["known"] < c]["lawyer"]
    orgs = t.designations[t.designations["known"] < c]["organisation"]
    designated = t.members[t.members["organisation"].isin(set(orgs))]["person"]

    persons = pd.Index(
        sorted(set(counts.index) | set(codef) | set(colleague) | set(client) | set(designated)),
        name="person",
    )
    frame = counts.reindex(persons, fill_value=0).astype(float)
    days_since = (c - last.reindex(persons)).dt.days.astype(float).fillna(NEVER_DAYS)
    frame["recent_detention_90"] = (days_since <= RECENT_DAYS).astype(float)
    # Decays from 1 (detained the day before) by e every 90 days: 0.37 after 90 days.
    frame["detention_recency"] = np.exp(-days_since.clip(lower=0) / RECENT_DAYS)
    frame["days_since_detention"] = days_since
    frame["log_detention_days_total"] = np.log1p(total_days.reindex(persons).fillna(0.0))
    frame["colleague_arrested_90"] = persons.isin(set(colleague)).astype(float)
    frame["codefendant_arrested_90"] = persons.isin(set(codef)).astype(float)
    frame["client_convicted"] = persons.isin(set(client)).astype(float)
    frame["organisation_designated"] = persons.isin(set(designated)).astype(float)
    return frame


def signal_sources(t: SignalTables, person: str, cutoff: dt.date) -> dict[str, list[str]]:
    """The records (act ids) each of ``person``'s signals at ``cutoff`` comes from."""
    c = pd.Timestamp(cutoff)
    out: dict[str, list[str]] = {}
    own = t.precursors[(t.precursors["known"] < c) & (t.precursors["person"] == person)]
    for group, rows in own.groupby("group"):
        out[f"n_{group}"] = sorted(rows["act"])
    recent = _recently_arrested(t, c)
    for name, pairs in (
        ("codefendant_arrested_90", t.codefendants),
        ("colleague_arrested_90", t.colleagues),
    ):
        others = set(pairs[pairs["person"] == person]["other"])
        acts = sorted(recent[recent["person"].isin(others)]["act"])
        if acts:
            out[name] = acts
    client = t.counsel_sentences
    acts = sorted(client[(client["lawyer"] == person) & (client["known"] < c)]["act"])
    if acts:
        out["client_convicted"] = acts
    orgs = set(t.members[t.members["person"] == person]["organisation"])
    d = t.designations
    acts = sorted(d[(d["known"] < c) & d["organisation"].isin(orgs)]["act"])
    if acts:
        out["organisation_designated"] = acts
    return out
