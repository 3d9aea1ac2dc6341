import json

import pytest
from django.core.management import call_command

from vigil.cli import run
from vigil.core.context import change_context

KEYS = {"observed", "estimate", "interval", "level", "method", "models"}


def _estimate(capsys, *args):
    with change_context("test"):
        call_command("estimate", *args)
    return capsys.readouterr().out


def test_estimate_json_has_exactly_the_documented_keys_and_the_models(shared_data, capsys):
    kosovo = shared_data / "mse" / "kosovo_1999_4lists.csv"
    result = json.loads(_estimate(capsys, str(kosovo), "--json"))
    assert set(result) == KEYS
    assert result["observed"] == 4400 and result["method"] == "loglinear"
    assert result["level"] == 0.95
    low, high = result["interval"]
    assert 4400 < low < result["estimate"] < high
    assert len(result["models"]) == 64
    chosen = [m for m in result["models"] if m["chosen"]]
    assert len(chosen) == 1 and chosen[0]["estimate"] == result["estimate"]
    assert {"terms", "estimate", "aic", "bic", "weight"} <= set(chosen[0])


def test_estimate_lcmcr_json_reports_its_diagnostics(tmp_path, capsys):
    table = tmp_path / "lists.csv"
    table.write_text("A,B,C,count\n1,0,0,120\n0,1,0,90\n0,0,1,100\n1,1,0,30\n1,0,1,35\n0,1,1,25\n1,1,1,9\n")
    out = _estimate(
        capsys, str(table), "--method", "lcmcr", "--seed", "5", "--json",
        "--burn-in", "300", "--samples", "100", "--thin", "2",
    )
    result = json.loads(out)
    assert set(result) == KEYS and result["method"] == "lcmcr"
    assert result["observed"] == 409
    model = result["models"][0]
    assert {"ess", "split_rhat", "geweke_z", "seed"} <= set(model)
    assert model["seed"] == 5 and model["samples"] == 100
    assert result["interval"][0] <= result["estimate"] <= result["interval"][1]


def test_estimate_text_names_the_interval_and_the_model_sensitivity(shared_data, capsys):
    out = _estimate(capsys, str(shared_data / "mse" / "kosovo_1999_4lists.csv"))
    assert "Observed on at least one list: 4,400" in out
    assert "profile likelihood" in out
    assert "Model sensitivity" in out and "64" in out


def test_estimate_cli_refuses_a_bad_table_with_its_line_and_exit_2(tmp_path, capsys):
    table = tmp_path / "bad.csv"
    table.write_text("A,B,count\n1,0,4\n1,yes,3\n")
    with pytest.raises(SystemExit) as exited:
        run(["vigil", "estimate", str(table)])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "bad.csv: line 3: list cells must be 0 or 1" in err
    assert "Traceback" not in err


def test_a_short_lcmcr_run_says_it_has_not_converged(shared_data, capsys):
    kosovo = str(shared_data / "mse" / "kosovo_1999_4lists.csv")
    short = ("--method", "lcmcr", "--seed", "1", "--burn-in", "0", "--samples", "20", "--thin", "1")
    text = _estimate(capsys, kosovo, *short)
    assert "Warning: the chains may not have converged" in text
    assert "--seed 1 repeats this run" in text
    result = json.loads(_estimate(capsys, kosovo, *short, "--json"))
    assert result["models"][0]["converged"] is False
