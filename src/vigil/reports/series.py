"""Import of published statistical series (the Lawtrend NGO liquidation series) as Statistics.

One Statistic per published row, each with the source the row names; ids derive from the
series and the month, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from vigil.core.errors import ImportFailed
from vigil.core.files import read_csv_text
from vigil.core.models import Confidentiality
from vigil.records.models import Source, Statistic, Term
from vigil.records.upsert import UpsertReport, stable_id, upsert_records

LAWTREND_SERIES = "lawtrend-ngo-liquidations"
LAWTREND_SUBJECT = "Belarusian NGOs liquidated or in liquidation since 2020 (cumulative)"
LAWTREND_COLUMNS = (
    "month_end",
    "total_liquidated_or_liquidating_since_2020",
    "forced_liquidation",
    "self_liquidation",
    "source",
)


def _month_end(text: str, line: int) -> dt.date:
    try:
        year, month = (int(p) for p in text.strip().split("-"))
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    except (ValueError, TypeError) as exc:
        raise ImportFailed(f"line {line}: month {text!r} is not YYYY-MM") from exc


def _number(text: str, line: int, column: str) -> Decimal | None:
    if not text.strip():
        return None
    try:
        return Decimal(text.strip())
    except InvalidOperation as exc:
        raise ImportFailed(f"line {line}: {column} {text!r} is not a number") from exc


def _source(text: str) -> Source:
    """The source a row names: a web address, or a description of where the figure appeared."""
    text = text.strip()
    is_url = text.startswith(("http://", "https://"))
    return Source(
        id=stable_id("lawtrend-series-source", text),
        title=f"Lawtrend monitoring figure as published at {text}" if is_url else text,
        url=text if is_url else "",
        citation=text,
        source_type_id=Term.pk_for("source_type", "web_page" if is_url else "media_report"),
        reliability_id=Term.pk_for("source_reliability", "unverified_secondary"),
        confidentiality=Confidentiality.PUBLIC,
        notes="Imported with the Lawtrend NGO liquidation series.",
    )


def plan_lawtrend(path: Path) -> list[Source | Statistic]:
    """The Sources and Statistics one Lawtrend series file holds (nothing written)."""
    with io.StringIO(read_csv_text(path), newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in LAWTREND_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ImportFailed(f"{path.name}: missing columns {', '.join(missing)}")
        planned: dict[object, Source | Statistic] = {}
        for line, row in enumerate(reader, start=2):
            as_of = _month_end(row["month_end"], line)
            total = _number(row["total_liquidated_or_liquidating_since_2020"], line, "total")
            if total is None:
                raise ImportFailed(f"line {line}: no total for {row['month_end']}")
            if not row["source"].strip():
                raise ImportFailed(f"line {line}: no source for {row['month_end']}")
            source = _source(row["source"])
            planned.setdefault(source.pk, source)
            parts = [
                f"{label}: {value}" if value is not None else f"{label}: not stated"
                for label, value in (
                    ("forced liquidation", _number(row["forced_liquidation"], line, "forced")),
                    ("self-liquidation", _number(row["self_liquidation"], line, "self")),
                )
            ]
            stat = Statistic(
                id=stable_id("statistic", LAWTREND_SERIES, as_of.isoformat()),
                subject=LAWTREND_SUBJECT,
                series=LAWTREND_SERIES,
                value=total,
                qualifier="exact",
                unit="organisations",
                as_of=as_of,
                as_of_precision="month",
                period_start=dt.date(2020, 1, 1),
                period_end=as_of,
                country="BY",
                source_id=source.pk,
                method_note="; ".join(parts) + f". Source as given: {row['source'].strip()}",
                confidentiality=Confidentiality.PUBLIC,
            )
            if stat.pk in planned:
                raise ImportFailed(f"line {line}: month {row['month_end']} appears twice")
            planned[stat.pk] = stat
    return list(planned.values())


def import_lawtrend(path: Path) -> UpsertReport:
    """Import the Lawtrend series file atomically and idempotently (caller's change context)."""
    planned = plan_lawtrend(path)
    with transaction.atomic():
        return upsert_records(planned)


SERIES_IMPORTERS = {"lawtrend": import_lawtrend}
