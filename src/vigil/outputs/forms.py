"""The form field lists the drafts follow (package data compiled for Vigil from OHCHR guidance)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    section: str
    required: bool


@dataclass(frozen=True)
class FormSpec:
    name: str
    headings: dict[str, str]
    fields: dict[str, FormField]

    def field(self, field_id: str) -> FormField:
        return self.fields[field_id]


@cache
def form(name: str) -> FormSpec:
    """The field list `name` ("wgad" or "sp") from the package data."""
    text = files("vigil.outputs").joinpath("data", f"{name}_fields.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    headings: dict[str, str] = {}
    fields: dict[str, FormField] = {}
    for section in data["sections"]:
        headings[section["id"]] = section["heading"]
        for item in section["fields"]:
            fields[item["id"]] = FormField(
                item["id"], item["label"], section["id"], bool(item["required"])
            )
    return FormSpec(data["form"], headings, fields)


@cache
def wgad_categories() -> dict[str, str]:
    """WGAD categories I–V → a summary written for Vigil (not the official text)."""
    text = files("vigil.outputs").joinpath("data", "wgad_categories.csv").read_text("utf-8")
    return {
        row["category"]: row["definition_paraphrase"] for row in csv.DictReader(text.splitlines())
    }
