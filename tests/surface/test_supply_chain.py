"""Req 21: hash-pinned locks current with pyproject, bandit clean, pip-audit never a silent pass."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SURFACE_CODE = [
    "src/vigil/web/security.py",
    "src/vigil/web/errors.py",
    "src/vigil/purge/workflow.py",
    "src/vigil/purge/management/commands/purge.py",
    "scripts/check-supply-chain",
]


@pytest.fixture(scope="module")
def supply() -> ModuleType:
    """The check-supply-chain script, loaded as a module."""
    path = ROOT / "scripts" / "check-supply-chain"
    loader = importlib.machinery.SourceFileLoader("check_supply_chain", str(path))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def _project(tmp_path: Path, dependencies: list[str], lock: str) -> Path:
    (tmp_path / "requirements").mkdir()
    deps = ", ".join(f'"{d}"' for d in dependencies)
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "fictional"\ndependencies = [{deps}]\n'
    )
    (tmp_path / "requirements" / "runtime.lock").write_text(lock)
    return tmp_path


HASH = "    --hash=sha256:" + "0" * 64
GOOD_LOCK = f"django==5.2.1 \\\n{HASH}\n    # via vigil (pyproject.toml)\n"


@pytest.mark.parametrize("name", ["runtime.lock", "test.lock"])
def test_req21_checked_in_locks_are_current_and_hashed(supply, name):
    extras = supply.LOCKS[name]
    assert supply.check_lock(name, extras) == []
    pins, from_project, unhashed = supply.read_lock(ROOT / "requirements" / name)
    assert "django" in pins and unhashed == []
    assert {"django", "sqlcipher3"} <= from_project


def test_req21_lock_check_accepts_a_matching_lock(supply, tmp_path, monkeypatch):
    monkeypatch.setattr(supply, "ROOT", _project(tmp_path, ["Django>=5.2,<5.3"], GOOD_LOCK))
    assert supply.check_lock("runtime.lock", ()) == []


@pytest.mark.parametrize(
    ("dependencies", "lock", "expected"),
    [
        (["Django>=5.2,<5.3", "pyotp>=2.9"], GOOD_LOCK, "pyotp>=2.9 is in pyproject.toml"),
        (["Django>=6"], GOOD_LOCK, "does not satisfy"),
        ([], GOOD_LOCK, "no longer names it"),
        (["Django>=5.2"], "django==5.2.1\n    # via vigil (pyproject.toml)\n", "has no --hash"),
    ],
)
def test_req21_lock_check_finds_stale_or_unhashed_locks(
    supply, tmp_path, monkeypatch, dependencies, lock, expected
):
    monkeypatch.setattr(supply, "ROOT", _project(tmp_path, dependencies, lock))
    problems = supply.check_lock("runtime.lock", ())
    assert any(expected in p for p in problems), problems


PSYCOPG = "psycopg{extra}==3.3.9 \\\n" + HASH + "\n    # via vigil (pyproject.toml)\n"


def test_req21_lock_check_finds_an_extra_the_lock_strips(supply, tmp_path, monkeypatch):
    """pip --require-hashes refuses `psycopg[binary]` pinned as plain `psycopg` once the index
    holds a newer release (CI failed this way on `fonttools[woff]`)."""
    stripped = _project(tmp_path, ["psycopg[binary]>=3.2"], PSYCOPG.format(extra=""))
    monkeypatch.setattr(supply, "ROOT", stripped)
    assert supply.check_lock("runtime.lock", ()) == [
        "runtime.lock: psycopg is asked for with [binary] but pinned without it "
        "(pip --require-hashes fails once the index has a newer release)"
    ]
    (stripped / "requirements" / "runtime.lock").write_text(PSYCOPG.format(extra="[binary]"))
    assert supply.check_lock("runtime.lock", ()) == []


def test_req21_lock_check_reports_a_missing_lock(supply, tmp_path, monkeypatch):
    monkeypatch.setattr(supply, "ROOT", tmp_path)
    assert "missing" in supply.check_lock("test.lock", ("test",))[0]


def _fake_audit(monkeypatch, supply, report: dict) -> None:
    done = subprocess.CompletedProcess([], 0, stdout=json.dumps(report), stderr="")
    monkeypatch.setattr(supply.subprocess, "run", lambda *a, **k: done)
    monkeypatch.setattr(supply, "BIN", Path(sys.executable).parent)


def test_req21_pip_audit_that_audited_nothing_is_reported_and_not_counted(
    supply, monkeypatch, capsys
):
    skipped = {"name": "django", "skip_reason": "Dependency not found on PyPI"}
    _fake_audit(monkeypatch, supply, {"dependencies": [skipped]})
    if not (supply.BIN / "pip-audit").exists():
        pytest.skip("pip-audit not installed in this environment")
    assert supply.run_pip_audit() == []
    assert "vulnerability service unreachable, not counted" in capsys.readouterr().out


def test_req21_pip_audit_findings_fail_the_check(supply, monkeypatch, capsys):
    vulnerable = {"name": "django", "version": "5.2.1", "vulns": [{"id": "FICTIONAL-0001"}]}
    _fake_audit(monkeypatch, supply, {"dependencies": [vulnerable]})
    if not (supply.BIN / "pip-audit").exists():
        pytest.skip("pip-audit not installed in this environment")
    assert supply.run_pip_audit() == ["pip-audit django 5.2.1: FICTIONAL-0001"]
    assert "1 of 1 packages audited, 1 vulnerable" in capsys.readouterr().out


def test_req21_bandit_finds_nothing_medium_or_high_in_the_surface_code():
    bandit = Path(sys.executable).parent / "bandit"
    if not bandit.exists():
        pytest.skip("bandit not installed in this environment")
    result = subprocess.run(
        [str(bandit), "-ll", "-q", "-f", "json", *SURFACE_CODE],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert json.loads(result.stdout)["results"] == []
