"""`vigil warning`: a data command acting as a user, through the policy; --json's shape."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command, get_commands, load_command_class

from vigil.accounts.models import User
from vigil.core.errors import ValidationFailed
from vigil.policy.acting import ActingCommand
from vigil.records.models import Act, Person

from ..module_data import built_once, refreshed
from .conftest import plant_record

pytestmark = pytest.mark.django_db
SHAPE_MODEL = {
    "auc",
    "auc_ci",
    "recall_at_k",
    "precision_at_threshold",
    "threshold",
    "brier",
    "lead_time_days_median",
}


@pytest.fixture(scope="module")
def planted_once(django_db_setup, django_db_blocker):
    """The analyst and the planted record, written once for the module."""
    with built_once(django_db_blocker):
        analyst = User.objects.create_user("fictional-analyst", "", None, role="analyst")
        plant_record()
        yield analyst


@pytest.fixture
def planted(planted_once: User, db) -> User:
    return refreshed(planted_once)


def _backtest(user: str, *args: str) -> dict:
    out = StringIO()
    call_command(
        "warning", "backtest", "--records", "synthetic", "--bootstrap", "20", "--json", *args,
        acting_user=user, stdout=out,
    )  # fmt: skip
    return json.loads(out.getvalue())


def test_warning_is_a_data_command_acting_as_a_user():
    assert isinstance(load_command_class(get_commands()["warning"], "warning"), ActingCommand)


def test_plant_writes_flagged_synthetic_persons_and_refuses_the_same_seed_twice(planted):
    assert Person.objects.filter(is_synthetic=True).count() == 120
    assert not Person.objects.filter(is_synthetic=False).exists()
    with pytest.raises(ValidationFailed, match="already in the database"):
        call_command("warning", "plant", "--persons", "120", "--seed", "4",
                     acting_user="fictional-analyst", stdout=StringIO())  # fmt: skip


@pytest.mark.slow  # ~2.0 s a run on a quiet 2-core machine
def test_backtest_json_has_the_documented_shape_on_the_planted_record(planted):
    result = _backtest("fictional-analyst", "--horizon", "90")
    assert result["horizon_days"] == 90
    assert result["population"] > 50 and result["events"] > 0 and result["cutoffs"] > 10
    assert SHAPE_MODEL <= set(result["model"])
    assert set(result["model"]["recall_at_k"]) == {"10", "50"}
    assert len(result["model"]["auc_ci"]) == 2
    assert {"recency", "prior_detentions", "network_arrested_90"} <= set(result["baselines"])
    for figures in result["baselines"].values():
        assert SHAPE_MODEL <= set(figures)
    assert result["links_used"] == 0 and "links_used 0" in result["note"]


@pytest.mark.slow  # ~2.1 s a run on a quiet 2-core machine
def test_backtest_run_is_audited_without_any_score(planted):
    from vigil.audit.models import AuditEntry

    result = _backtest("fictional-analyst")
    entry = AuditEntry.objects.filter(event="risk_model").latest("seq")
    assert entry.meta["action"] == "backtest"
    assert entry.meta["count"] == result["person_periods"]
    assert set(entry.meta) <= {"action", "count", "route"}


@pytest.mark.slow  # ~1.8 s a run on a quiet 2-core machine
def test_backtest_text_output_lists_model_and_baselines(planted):
    out = StringIO()
    call_command("warning", "backtest", "--records", "synthetic", "--bootstrap", "10",
                 "--horizon", "30", acting_user="fictional-analyst", stdout=out)  # fmt: skip
    text = out.getvalue()
    assert "horizon 30 days" in text
    for name in ("model", "recency", "prior_detentions", "network_arrested_90", "Calibration"):
        assert name in text


@pytest.mark.slow  # ~2.4 s a run on a quiet 2-core machine
def test_backtest_does_not_read_records_the_user_may_not_see(planted):
    Act.objects.filter(is_synthetic=True).update(confidentiality="secret")
    # An analyst sees secret records only with a grant: nothing is left to backtest.
    with pytest.raises(ValidationFailed, match="no dated acts"):
        _backtest("fictional-analyst")
    User.objects.create_user("fictional-admin", "", None, role="admin")
    assert _backtest("fictional-admin")["events"] > 0


def test_backtest_bad_outcome_and_date_are_clear_errors(planted):
    with pytest.raises(ValidationFailed, match="Unknown outcome 'custody'"):
        _backtest("fictional-analyst", "--outcome", "custody")
    with pytest.raises(ValidationFailed, match="No cut-off to test"):
        _backtest("fictional-analyst", "--from", "2030-01-01")


def test_explain_gives_a_probability_with_the_signals_and_their_source_acts(planted):
    import datetime as dt

    at = dt.date(2020, 6, 1)
    act = (
        Act.objects.filter(
            is_synthetic=True,
            act_type__key="administrative_arrest",
            known_since__lt=at,
            known_since__gte=at - dt.timedelta(days=60),
        )
        .exclude(victim_person__acts__act_type__key="arrest", victim_person__acts__date__lt=at)
        .first()
    )
    out = StringIO()
    call_command("warning", "explain", str(act.victim_person_id), "--at", str(at), "--json",
                 acting_user="fictional-analyst", stdout=out)  # fmt: skip
    result = json.loads(out.getvalue())
    assert 0 < result["probability"] < 1
    by_signal = {r["signal"]: r for r in result["reasons"]}
    detention = {"recent_detention_90", "detention_recency", "n_administrative_detention"}
    assert detention & set(by_signal)
    assert all(r["value"] > 0 for r in result["reasons"])  # only signals the person has
    cited = {a for r in result["reasons"] for a in r["records"]}
    assert str(act.pk) in cited
    own = {str(pk) for pk in Act.objects.filter(victim_person_id=act.victim_person_id)
           .values_list("pk", flat=True)}  # fmt: skip
    detention_records = {a for s in detention & set(by_signal) for a in by_signal[s]["records"]}
    assert detention_records <= own
    from vigil.audit.models import AuditEntry

    entry = AuditEntry.objects.filter(event="risk_model").latest("seq")
    assert entry.meta["action"] == "explain"


def test_explain_does_not_find_a_person_the_user_may_not_see(planted):
    from vigil.core.errors import NotFound

    person = Person.objects.filter(is_synthetic=True).first()
    Person.objects.filter(pk=person.pk).update(confidentiality="secret")
    with pytest.raises(NotFound):
        call_command("warning", "explain", str(person.pk), acting_user="fictional-analyst",
                     stdout=StringIO())  # fmt: skip
