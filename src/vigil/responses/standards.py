"""The international standards shipped with Vigil (summaries), loaded into the Standard table."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from django.db import transaction

from vigil.responses.models import Standard

SUMMARY_NOTICE = "summary written for Vigil, not official text"
DATA = "vigil.responses.data"


@dataclass(frozen=True)
class _File:
    name: str
    instrument: str
    title: str


FILES = (
    _File(
        "iccpr_articles_index.csv", "ICCPR", "International Covenant on Civil and Political Rights"
    ),
    _File("uncat_articles_index.csv", "CAT", "Convention against Torture"),
    _File(
        "un_basic_principles_role_of_lawyers_1990.csv",
        "BPRL",
        "UN Basic Principles on the Role of Lawyers (1990)",
    ),
    _File(
        "un_declaration_human_rights_defenders_1998.csv",
        "HRDD",
        "UN Declaration on Human Rights Defenders (1998)",
    ),
    _File("wgad_categories.csv", "WGAD", "Working Group on Arbitrary Detention: categories"),
)


def standard_id(instrument: str, article: str, paragraph: str = "") -> str:
    """The id of a standard: ``iccpr:14:1``, ``wgad:II``, ``bprl:16``."""
    parts = [instrument.lower(), article]
    if paragraph:
        parts.append(paragraph)
    return ":".join(parts)


def _rows(name: str) -> Iterator[dict[str, str]]:
    text = resources.files(DATA).joinpath("standards", name).read_text(encoding="utf-8")
    yield from csv.DictReader(text.splitlines())


def _standard(spec: _File, row: dict[str, str], position: int) -> Standard:
    if spec.instrument == "WGAD":
        article, paragraph = row["category"], ""
        label = row["definition_paraphrase"]
        anchors = [
            f"UDHR {row['udhr_articles']}" if row["udhr_articles"] else "",
            row["iccpr_articles"],
            row["source_note"],
        ]
        note = "; ".join(a for a in anchors if a)
        section = ""
    elif spec.instrument == "BPRL":
        article, paragraph = row["principle"], ""
        label, note, section = row["summary_paraphrase"], "", row["section"]
    elif spec.instrument == "ICCPR":
        article, paragraph = row["article"], row["paragraph"]
        label, section = row["label"], f"Part {row['part']}"
        flags = []
        if row["non_derogable_art4_2"]:
            flags.append(f"non-derogable under art. 4(2): {row['non_derogable_art4_2']}")
        if row["wgad_category_ii_iccpr_article"]:
            flags.append("listed for WGAD category II")
        note = "; ".join(flags)
    else:
        article, paragraph = row["article"], ""
        label = row.get("summary_paraphrase") or row.get("label_paraphrase") or ""
        note, section = "", ""
    return Standard(
        id=standard_id(spec.instrument, article, paragraph),
        instrument=spec.instrument,
        instrument_title=spec.title,
        article=article,
        paragraph=paragraph,
        section=section,
        label=label,
        note=note,
        position=position,
    )


def shipped_standards() -> list[Standard]:
    """Every standard in the shipped files, in their order."""
    found: list[Standard] = []
    for spec in FILES:
        for position, row in enumerate(_rows(spec.name)):
            found.append(_standard(spec, row, position))
    return found


def sync_standards() -> int:
    """Insert or update every shipped standard (never deleted: codings refer to them)."""
    wanted = shipped_standards()
    fields = ["instrument", "instrument_title", "article", "paragraph", "section", "label"]
    fields += ["note", "position"]
    with transaction.atomic():
        existing = {s.pk: s for s in Standard.objects.all()}
        Standard.objects.bulk_create([s for s in wanted if s.pk not in existing])
        changed = [
            s
            for s in wanted
            if s.pk in existing and any(getattr(s, f) != getattr(existing[s.pk], f) for f in fields)
        ]
        if changed:
            Standard.objects.bulk_update(changed, fields)
    return len(wanted)


def sync_after_migrate(**kwargs: Any) -> None:
    """post_migrate hook: keep the Standard table equal to the shipped files."""
    sync_standards()
