"""Building the demo database: seed facts, OFAC Belarus entries, sample data, synthetic scale."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from vigil.core.context import change_context
from vigil.core.errors import ConfigurationError
from vigil.core.setup import initialise
from vigil.demo.location import MARKER

Say = Callable[[str], None]


@dataclass
class DemoResult:
    folder: Path
    username: str
    password: str
    totp_secret: str = ""
    otpauth_uri: str = ""
    loaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def sample_data_dir() -> Path | None:
    """The folder of sample data the demo may load but never ships (VIGIL_SAMPLE_DATA)."""
    configured = settings.SAMPLE_DATA
    if configured:
        path = Path(configured)
        return path if path.is_dir() else None
    for candidate in (Path.cwd() / ".." / "shared" / "data", Path.cwd() / "shared" / "data"):
        if candidate.is_dir():
            return candidate.resolve()
    return None


def reset_demo_folder(folder: Path) -> None:
    """Remove a previous demo (only one this command created) and start an empty folder."""
    if folder.exists():
        if not (folder / MARKER).exists():
            raise ConfigurationError(
                f"{folder} exists and was not created by `vigil demo`; refusing to touch it."
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True, mode=0o700)
    (folder / MARKER).write_text("created by vigil demo; deleted by the next vigil demo\n")


def build_demo(*, synthetic: int = 0, say: Say = print) -> DemoResult:
    """Create a fresh demo database in the demo folder and fill it."""
    if os.environ.get("VIGIL_DEMO") != "1":
        raise ConfigurationError("build_demo runs only in the demo folder (`vigil demo`).")
    folder = Path(settings.DATA_DIR)
    reset_demo_folder(folder)
    initialise()
    with change_context("cli", detail="vigil demo"):
        from vigil.accounts.demo import create_demo_admin

        user, password, secret, uri = create_demo_admin("demo")
        result = DemoResult(folder, user.username, password, secret, uri)
        _load_seed(result, say)
        _load_samples(result, say)
        _load_lists(result, say)
        _screen(result)
        _load_scenario(result, user)
        if synthetic:
            _load_synthetic(result, synthetic, say)
    return result


def _load_seed(result: DemoResult, say: Say) -> None:
    from vigil.demo.seed_loader import load_seed_facts_into_record

    report = load_seed_facts_into_record()
    result.loaded.append(
        f"seed articles: {report.total('created')} sourced records (claims, not verified facts)"
    )


def _load_lists(result: DemoResult, say: Say) -> None:
    import datetime as dt
    from importlib import resources

    from vigil.sanctions.lists import import_list

    shipped = Path(str(resources.files("vigil.demo") / "data" / "ofac_belarus" / "sdn.csv"))
    report = import_list("ofac-sdn", shipped, version_date=dt.date(2021, 7, 1))
    result.loaded.append(
        f"OFAC SDN, BELARUS programme: {report.read} entries (2021-07 snapshot, public domain)"
    )
    data = sample_data_dir()
    eu = data / "sanctions" / "eu_reg_765_2006_annexI.csv" if data else None
    if eu is not None and eu.is_file():
        report = import_list("eu-765", eu)
        result.loaded.append(f"EU Reg. 765/2006 Annex I: {report.read} entries (not shipped)")
    else:
        result.skipped.append("EU Reg. 765/2006 list: not found in VIGIL_SAMPLE_DATA")


def _screen(result: DemoResult) -> None:
    from vigil.sanctions.screening import screen

    report = screen()
    result.loaded.append(
        f"screening: {report.screened} perpetrators, {report.new_candidates} candidates "
        "awaiting an analyst's review"
    )


def _load_samples(result: DemoResult, say: Say) -> None:
    data = sample_data_dir()
    viasna = data / "viasna" / "prisoners_sample.csv" if data else None
    if viasna is not None and viasna.is_file():
        from vigil.importers.viasna import import_viasna

        say(f"Importing the Viasna sample from {viasna} ...")
        report = import_viasna(viasna)
        result.loaded.append(f"Viasna sample: {report.imported} rows (not shipped with Vigil)")
    else:
        result.skipped.append(
            "Viasna sample: not found (set VIGIL_SAMPLE_DATA to the folder holding viasna/)"
        )


def _load_scenario(result: DemoResult, user: Any) -> None:
    from vigil.demo.scenario import load_scenario

    s = load_scenario(user)
    result.loaded.append(
        f"fictional at-risk scenario (synthetic, not real persons): {len(s.persons)} fictional "
        f"lawyers and defenders, {s.acts} recorded acts (precursors, arrests), {s.watched} on "
        f"the watched register, {s.scored} risk scores ({s.above} above the alert threshold), "
        f"protection case {s.case.pseudonym} with actions and a defence-fund grant, "
        f"{s.alerts} alerts"
    )


def _load_synthetic(result: DemoResult, n: int, say: Say) -> None:
    from tqdm import tqdm

    from vigil.demo.synthetic import generate

    with tqdm(total=n, unit="person", desc="synthetic", disable=None, leave=False) as bar:
        counts = generate(n, progress=bar.update)
    result.loaded.append(
        f"synthetic: {counts.get('persons', n)} fictional persons, flagged and badged as synthetic"
    )
