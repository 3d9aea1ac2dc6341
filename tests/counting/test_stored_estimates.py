"""Stored estimates: saved with their inputs, method, seed and versions; recomputed exactly."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from vigil.accounts.models import Role, User
from vigil.core.errors import Forbidden
from vigil.counting.models import StoredEstimate
from vigil.counting.stored import recompute, reproduces, table_from_inputs

pytestmark = pytest.mark.django_db

TABLE = "A,B,C,count\n1,0,0,120\n0,1,0,90\n0,0,1,100\n1,1,0,30\n1,0,1,35\n0,1,1,25\n1,1,1,9\n"


@pytest.fixture
def analyst() -> User:
    return User.objects.create_user("fictional-counting-analyst", "", "x" * 20, role=Role.ANALYST)


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("estimate", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fictional_lists(folder: Path, persons: int = 120, seed: int = 4) -> list[Path]:
    """Three lists of fictional persons (invented syllable names), each catching about half."""
    import random

    rng = random.Random(seed)
    syllables = ["ka", "lo", "mir", "zan", "tu", "vel", "dor", "shi", "ra", "bek", "nu", "gal"]
    given = ["Ales", "Ihar", "Maryna", "Tatsiana", "Pavel", "Volha", "Dzmitry", "Alena"]
    people = [
        (f"{rng.choice(given)} {''.join(rng.sample(syllables, 3)).upper()}",
         f"19{rng.randint(50, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}")
        for _ in range(persons)
    ]
    paths = []
    for name, share in (("ours", 0.5), ("theirs", 0.4), ("partner", 0.45)):
        rows = ["id,name,birth_date"]
        rows += [f"{name[0]}{n},{person},{birth if rng.random() < 0.5 else ''}"
                 for n, (person, birth) in enumerate(people) if rng.random() < share]
        path = folder / f"{name}.csv"
        path.write_text("\n".join(rows) + "\n")
        paths.append(path)
    return paths


def _table(tmp_path: Path) -> Path:
    path = tmp_path / "lists.csv"
    path.write_text(TABLE)
    return path


@pytest.mark.slow  # ~0.8 s a run on a quiet 2-core machine
def test_a_saved_estimate_keeps_its_inputs_method_versions_and_command(tmp_path, analyst):
    out, err = _run(str(_table(tmp_path)), "--json", "--save", "Fictional detentions 2021",
                    "--category", "detained", "--period", "2021", "--as", analyst.username)
    printed = json.loads(out)
    row = StoredEstimate.objects.get()
    assert str(row.pk) in err
    assert row.result == printed
    assert (row.label, row.category, row.period, row.method) == (
        "Fictional detentions 2021", "detained", "2021", "loglinear")
    assert row.observed == 409 and row.interval_low < row.estimate < row.interval_high
    assert set(row.versions) >= {"python", "vigil", "numpy", "scipy", "statsmodels"}
    assert row.command == "vigil estimate lists.csv --method loglinear"
    assert row.created_by == analyst and row.confidentiality == "internal"
    # The stored inputs are the table the estimator read, cell for cell.
    table = table_from_inputs(row.inputs)
    assert table.observed == 409 and table.lists == ("A", "B", "C")


def test_recomputing_from_the_stored_inputs_gives_exactly_the_same_number(tmp_path, analyst):
    _run(str(_table(tmp_path)), "--method", "lcmcr", "--burn-in", "300", "--samples", "100",
         "--thin", "2", "--save", "Fictional LCMCR", "--as", analyst.username)
    row = StoredEstimate.objects.get()
    assert row.seed is not None  # drawn, then stored so the run repeats
    assert "--seed" in row.command and str(row.seed) in row.command
    again = recompute(StoredEstimate.objects.get(pk=row.pk))
    assert again.estimate == row.estimate
    assert list(again.interval) == [row.interval_low, row.interval_high]
    assert again.as_json() == row.result
    out, _ = _run("--recompute", str(row.pk), "--as", analyst.username)
    assert "the same" in out


def test_a_changed_stored_input_no_longer_reproduces(tmp_path, analyst):
    _run(str(_table(tmp_path)), "--save", "Fictional", "--as", analyst.username)
    row = StoredEstimate.objects.get()
    row.inputs["cells"][0][-1] += 50  # someone edits the stored table
    same, again = reproduces(row)
    assert not same and again.estimate != row.estimate


@pytest.mark.slow  # ~1.1 s a run on a quiet 2-core machine
def test_an_estimate_from_linked_lists_is_stored_and_recomputed_exactly(tmp_path, analyst):
    files = [str(p) for p in fictional_lists(tmp_path)]
    out, _ = _run(*files, "--from-links", "--link-draws", "5", "--json", "--save",
                  "Fictional linked", "--as", analyst.username)
    printed = json.loads(out)
    assert printed["linkage"]["draws"] == 5
    row = StoredEstimate.objects.get()
    assert row.inputs["kind"] == "links"
    assert set(row.inputs["members"]) == {"ours", "theirs", "partner"}
    assert row.command.startswith("vigil estimate ours.csv theirs.csv partner.csv --from-links")
    assert reproduces(row)[0]


def test_saving_needs_an_account_that_may_add_records(tmp_path, analyst):
    viewer = User.objects.create_user("fictional-counting-viewer", "", "x" * 20,
                                      role=Role.VIEWER)
    with pytest.raises(Forbidden):
        _run(str(_table(tmp_path)), "--save", "Fictional", "--as", viewer.username)
    with pytest.raises(Forbidden, match="--as USERNAME"):
        _run(str(_table(tmp_path)), "--save", "Fictional")
    assert not StoredEstimate.all_objects.exists()


def test_an_estimate_hidden_from_a_user_cannot_be_recomputed_by_them(tmp_path, analyst):
    _run(str(_table(tmp_path)), "--save", "Fictional", "--as", analyst.username)
    row = StoredEstimate.objects.get()
    row.confidentiality = "secret"
    from vigil.core.context import change_context

    with change_context("test"):
        row.save()
    viewer = User.objects.create_user("fictional-counting-viewer", "", "x" * 20,
                                      role=Role.VIEWER)
    from vigil.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="you may view"):
        _run("--recompute", str(row.pk), "--as", viewer.username)
