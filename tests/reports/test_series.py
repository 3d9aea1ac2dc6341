"""The Lawtrend series: imported once per row with its own source, plotted only where it exists."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import matplotlib.dates as mdates
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.core.errors import ImportFailed, VigilError
from vigil.records.models import Source, Statistic
from vigil.reports.attribution import Attribution
from vigil.reports.charts import chart
from vigil.reports.coverage import Coverage
from vigil.reports.figures import Figure, figure
from vigil.reports.series import LAWTREND_SERIES, import_lawtrend, plan_lawtrend

HEADER = (
    "month_end,total_liquidated_or_liquidating_since_2020,forced_liquidation,"
    "self_liquidation,source\n"
)


def lawtrend_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "series.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.fixture
def lawtrend(shared_data: Path) -> Path:
    return shared_data / "stats" / "lawtrend_ngo_liquidations_belarus_timeseries.csv"


def test_import_writes_one_statistic_per_row_each_with_its_own_source(ctx, lawtrend):
    with lawtrend.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    import_lawtrend(lawtrend)
    stats = list(Statistic.objects.filter(series=LAWTREND_SERIES).order_by("as_of"))
    assert len(stats) == len(rows)
    for stat, row in zip(stats, rows, strict=True):
        assert stat.as_of.strftime("%Y-%m") == row["month_end"]
        assert stat.value == int(row["total_liquidated_or_liquidating_since_2020"])
        assert stat.source.citation == row["source"].strip()
        assert stat.as_of_precision == "month"
    assert Source.objects.filter(statistics__series=LAWTREND_SERIES).distinct().count() == len(
        {r["source"].strip() for r in rows}
    )


def test_importing_the_series_twice_creates_nothing_new(ctx, lawtrend):
    first = import_lawtrend(lawtrend)
    second = import_lawtrend(lawtrend)
    assert first.total("created") > 0
    assert second.total("created") == 0 and second.total("updated") == 0
    assert (
        Statistic.objects.filter(series=LAWTREND_SERIES).count()
        == first.created["records.statistic"]
    )


def test_a_missing_forced_figure_is_noted_as_not_stated_never_filled(ctx, tmp_path):
    path = lawtrend_file(tmp_path, "2022-12,1173,,416,fictional note on where it appeared\n")
    (stat,) = [p for p in plan_lawtrend(path) if isinstance(p, Statistic)]
    assert "forced liquidation: not stated" in stat.method_note
    assert "self-liquidation: 416" in stat.method_note


def test_a_bad_row_names_its_line_and_writes_nothing(ctx, tmp_path):
    path = lawtrend_file(tmp_path, "2023-01,1189,768,421,https://example.org/a\n2023-13,9,,,x\n")
    with pytest.raises(ImportFailed, match="line 3"):
        import_lawtrend(path)
    assert not Statistic.objects.filter(series=LAWTREND_SERIES).exists()


def test_the_chart_plots_exactly_the_published_months_with_no_line_between_them(
    ctx, lawtrend, reader
):
    import_lawtrend(lawtrend)
    found = figure("ngo-liquidations", Coverage(reader))
    canvas = chart(found)
    (line,) = canvas.axes[0].get_lines()
    plotted = [mdates.num2date(x).date() for x in mdates.date2num(line.get_xdata())]
    with lawtrend.open(newline="") as handle:
        months = [r["month_end"] for r in csv.DictReader(handle)]
    assert [d.strftime("%Y-%m") for d in plotted] == months
    assert line.get_linestyle() == "None"
    assert line.get_marker() == "o"
    assert "Lawtrend" in found.attribution.text()


def _series_figure(months: list[dt.date]) -> Figure:
    rows = [(m.strftime("%Y-%m"), 1000 + i, "exactly", "x") for i, m in enumerate(months)]
    return Figure("ngo-liquidations", "t", ("month",), rows, "m", Attribution(0))


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 1)).map(lambda d: d.replace(day=1)),
        min_size=1,
        max_size=30,
        unique=True,
    ).map(sorted)
)
def test_any_series_with_gaps_is_drawn_with_one_marker_per_point_and_nothing_between(months):
    canvas = chart(_series_figure(months))
    (line,) = canvas.axes[0].get_lines()
    assert list(line.get_xdata()) == months
    assert line.get_linestyle() == "None"


def test_series_file_in_cp1251_is_a_clear_error_and_writes_nothing(ctx, tmp_path):
    path = tmp_path / "series.csv"
    path.write_bytes((HEADER + "2024-01,1000,800,200,Лаўтрэнд\n").encode("cp1251"))
    with pytest.raises(VigilError, match="series.csv: is not UTF-8 text"):
        import_lawtrend(path)
    assert not Statistic.objects.filter(series=LAWTREND_SERIES).exists()


def test_series_binary_file_is_a_clear_error(ctx, tmp_path):
    path = tmp_path / "series.csv"
    path.write_bytes(b"\xff\xfe\x00\x01\xbe\x00garbage")
    with pytest.raises(VigilError, match="series.csv: is a binary file"):
        plan_lawtrend(path)
