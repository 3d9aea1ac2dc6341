"""Build Vigil's vocabulary CSVs from the HURIDOCS micro-thesauri and Vigil's own terms.

Usage: build_vocab.py HURIDOCS_DIR [--terms FILE] [--out DIR] [--check]

HURIDOCS_DIR holds microthesauri.csv and microthesauri_ru.csv (the shared sample data's
``huridocs`` folder). The hand-written half lives in ``vocab_vigil_terms.toml`` beside this
script; its header explains the format. ``--check`` writes nothing and exits 1 when the
files in DIR differ from what would be built.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import tomllib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TERMS_FILE = Path(__file__).with_name("vocab_vigil_terms.toml")
OUT_DIR = ROOT / "src" / "vigil" / "records" / "vocab"
COLUMNS = (
    "key",
    "code",
    "parent",
    "label_en",
    "label_ru",
    "label_be",
    "be_reviewed",
    "source",
    "definition_en",
)
NAME_RE = re.compile(r"[a-z][a-z0-9_]*")
HURIDOCS_FIELDS = {"key", "huridocs", "ru", "be", "parent", "definition"}
VIGIL_FIELDS = {"key", "en", "ru", "be", "parent", "definition"}
# Matches the Term model's column widths, so a built file always loads into the database.
MAX_KEY, MAX_LABEL = 80, 200

Row = dict[str, str]


class VocabBuildError(ValueError):
    """The sources cannot be merged into consistent vocabularies."""


@dataclass(frozen=True, slots=True)
class HuridocsTerm:
    """One row of the HURIDOCS micro-thesauri, with its Russian label."""

    vocab_number: str
    english: str
    russian: str
    list_code: str
    parent: str


def read_huridocs(folder: Path) -> dict[str, HuridocsTerm]:
    """Read microthesauri.csv and microthesauri_ru.csv, keyed by vocab_number."""
    with (folder / "microthesauri_ru.csv").open(encoding="utf-8", newline="") as fh:
        russian = {r["vocab_number"]: r["ru"].strip() for r in csv.DictReader(fh)}
    terms: dict[str, HuridocsTerm] = {}
    with (folder / "microthesauri.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            number = r["vocab_number"].strip()
            parent = r["parent_vocab_number"].strip()
            terms[number] = HuridocsTerm(
                vocab_number=number,
                english=r["english"].strip(),
                russian=russian.get(number, ""),
                list_code=r["list_code"].strip(),
                parent="" if parent in {"", "0"} else parent,
            )
    return terms


def read_sources(path: Path) -> dict[str, Any]:
    """Parse the hand-written TOML file."""
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _huridocs_row(entry: Mapping[str, Any], term: HuridocsTerm) -> Row:
    """A CSV row for a HURIDOCS term, English from HURIDOCS, Russian unless overridden."""
    return {
        "key": entry["key"],
        "code": term.vocab_number,
        "parent": "",
        "label_en": term.english,
        "label_ru": str(entry.get("ru", term.russian)).strip(),
        "label_be": str(entry.get("be", "")).strip(),
        "be_reviewed": "no",
        "source": f"HURIDOCS mt_{term.list_code}",
        "definition_en": str(entry.get("definition", "")).strip(),
    }


def _vigil_row(entry: Mapping[str, Any]) -> Row:
    """A CSV row for one of Vigil's own terms."""
    return {
        "key": entry["key"],
        "code": f"vigil:{entry['key']}",
        "parent": "",
        "label_en": str(entry.get("en", "")).strip(),
        "label_ru": str(entry.get("ru", "")).strip(),
        "label_be": str(entry.get("be", "")).strip(),
        "be_reviewed": "no",
        "source": "Vigil",
        "definition_en": str(entry.get("definition", "")).strip(),
    }


def _nearest_included_ancestor(
    term: HuridocsTerm, huridocs: Mapping[str, HuridocsTerm], keys_by_code: Mapping[str, str]
) -> str:
    """Key of the closest HURIDOCS ancestor that the same vocabulary includes, or ''."""
    number = term.parent
    while number:
        if number in keys_by_code:
            return keys_by_code[number]
        ancestor = huridocs.get(number)
        number = ancestor.parent if ancestor else ""
    return ""


def _check_rows(name: str, rows: Sequence[Row], problems: list[str]) -> None:
    """Record every inconsistency in one built vocabulary."""
    for column in ("key", "code"):
        counts = Counter(r[column] for r in rows)
        problems.extend(f"{name}: duplicate {column} {v!r}" for v, n in counts.items() if n > 1)
    parents = {r["key"]: r["parent"] for r in rows}
    for row in rows:
        where = f"{name}.{row['key']}"
        if not NAME_RE.fullmatch(row["key"]) or len(row["key"]) > MAX_KEY:
            problems.append(f"{where}: key must be snake_case, at most {MAX_KEY} characters")
        for column in ("label_en", "label_ru", "label_be"):
            if not row[column]:
                problems.append(f"{where}: empty {column}")
            elif len(row[column]) > MAX_LABEL:
                problems.append(f"{where}: {column} longer than {MAX_LABEL} characters")
        seen = {row["key"]}
        parent = row["parent"]
        while parent:
            if parent not in parents:
                problems.append(f"{where}: parent {parent!r} is not a key of {name}")
                break
            if parent in seen:
                problems.append(f"{where}: parent chain loops through {parent!r}")
                break
            seen.add(parent)
            parent = parents[parent]


def build_vocabulary(
    name: str,
    entries: Sequence[Mapping[str, Any]],
    huridocs: Mapping[str, HuridocsTerm],
    problems: list[str],
) -> list[Row]:
    """Merge one vocabulary's entries with HURIDOCS; problems are appended, not raised."""
    rows: list[Row] = []
    huridocs_terms: dict[str, HuridocsTerm] = {}
    for index, entry in enumerate(entries):
        where = f"{name}[{index}] {entry.get('key', '?')!r}"
        if "key" not in entry:
            problems.append(f"{where}: no key")
            continue
        if "huridocs" in entry:
            unknown = set(entry) - HURIDOCS_FIELDS
            term = huridocs.get(str(entry["huridocs"]))
            if term is None:
                problems.append(f"{where}: HURIDOCS code {entry['huridocs']} not found")
                continue
            huridocs_terms[entry["key"]] = term
            row = _huridocs_row(entry, term)
        else:
            unknown = set(entry) - VIGIL_FIELDS
            row = _vigil_row(entry)
        if unknown:
            problems.append(f"{where}: unexpected fields {sorted(unknown)}")
        if "parent" in entry:
            row["parent"] = str(entry["parent"])
        rows.append(row)
    keys_by_code = {term.vocab_number: key for key, term in huridocs_terms.items()}
    for row in rows:
        term = huridocs_terms.get(row["key"])
        explicit = any(e.get("key") == row["key"] and "parent" in e for e in entries)
        if term is not None and not explicit:
            row["parent"] = _nearest_included_ancestor(term, huridocs, keys_by_code)
    _check_rows(name, rows, problems)
    return rows


def build(sources: Mapping[str, Any], huridocs: Mapping[str, HuridocsTerm]) -> dict[str, list[Row]]:
    """Build every vocabulary; raise VocabBuildError listing all problems found."""
    problems: list[str] = []
    vocabularies = sources.get("vocab", {})
    built: dict[str, list[Row]] = {}
    for name, entries in vocabularies.items():
        if not NAME_RE.fullmatch(name):
            problems.append(f"vocabulary name {name!r} is not snake_case")
        built[name] = build_vocabulary(name, entries, huridocs, problems)
    for name, list_code in sources.get("complete_huridocs_lists", {}).items():
        present = {r["code"] for r in built.get(name, [])}
        missing = [
            t.vocab_number
            for t in huridocs.values()
            if t.list_code == str(list_code) and t.vocab_number not in present
        ]
        if missing:
            problems.append(f"{name}: HURIDOCS mt_{list_code} terms missing: {missing}")
    if problems:
        raise VocabBuildError("\n".join(problems))
    return built


def render(rows: Sequence[Row]) -> str:
    """The CSV text of one vocabulary."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def differences(built: Mapping[str, Sequence[Row]], out_dir: Path) -> list[str]:
    """Names of files in out_dir that are stale, missing or not built from the sources."""
    expected = {f"{name}.csv": render(rows) for name, rows in built.items()}
    found = {p.name for p in out_dir.glob("*.csv")}
    stale = [
        name
        for name, text in expected.items()
        if name not in found or (out_dir / name).read_text(encoding="utf-8") != text
    ]
    return sorted(stale + [name for name in found if name not in expected])


def write(built: Mapping[str, Sequence[Row]], out_dir: Path) -> list[Path]:
    """Write one CSV per vocabulary into out_dir and return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, rows in built.items():
        path = out_dir / f"{name}.csv"
        path.write_text(render(rows), encoding="utf-8", newline="")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("huridocs_dir", type=Path, help="folder with microthesauri*.csv")
    parser.add_argument("--terms", type=Path, default=TERMS_FILE, help="Vigil's own terms (TOML)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="where the CSVs go")
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on change")
    args = parser.parse_args(argv)
    try:
        built = build(read_sources(args.terms), read_huridocs(args.huridocs_dir))
    except VocabBuildError as error:
        print(f"vocabularies not built:\n{error}", file=sys.stderr)
        return 2
    if args.check:
        changed = differences(built, args.out)
        for name in changed:
            print(f"out of date: {name}", file=sys.stderr)
        return 1 if changed else 0
    for path in write(built, args.out):
        print(f"wrote {path.name}: {len(built[path.stem])} terms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
