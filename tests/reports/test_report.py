"""The country report document and its command."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from tests.reports import factories as f
from vigil.core.errors import ValidationFailed
from vigil.reports.coverage import Coverage
from vigil.reports.document import report_html, report_pdf
from vigil.reports.figures import FIGURES

D = dt.date


def command():
    from importlib import import_module

    return import_module("vigil.reports.management.commands.country-report").Command()


def some_record():
    a = f.person("Fictional Ana Testava")
    judge = f.person("Fictional Judge Zed")
    f.act("arrest", a, D(2021, 3, 4))
    sentence = f.act("sentence", a, D(2021, 9, 1), months=54, place=f.court("Fictional Court"))
    f.charge(sentence, f.provision("243", "2", "Tax evasion"))
    f.judged(sentence, judge)
    f.act(
        "arrest",
        f.person("Fictional Synthetic Victim", synthetic=True),
        D(2021, 3, 4),
        synthetic=True,
    )


def test_the_report_states_each_figures_period_source_and_command(ctx, reader):
    some_record()
    html = report_html(Coverage(reader))
    for name in ("detained-by-month", "sentences-by-article", "courts", "judges", "lawyers"):
        assert f"vigil country-report figure {name} --csv" in html
    assert "Period:" in html and "Source:" in html
    assert "Fictional Judge Zed" in html
    assert "Fictional Synthetic Victim" not in html
    assert "<script" not in html


def test_figures_with_no_data_are_listed_as_missing_not_filled(ctx, reader):
    html = report_html(Coverage(reader))
    assert "Missing." in html
    assert html.count("No data in the record for this figure.") == len(FIGURES) == 9


@pytest.mark.slow  # ~1.2 s a run on a quiet 2-core machine
def test_the_pdf_holds_the_charts_and_the_figures(ctx, reader):
    some_record()
    data = report_pdf(Coverage(reader))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert data.startswith(b"%PDF")
    assert "Persons detained, by month" in text
    assert "Part 2 of Art. 243 CC" in text
    assert "vigil country-report figure judges --csv" in text


def test_country_report_command_writes_a_pdf(ctx, tmp_path: Path, reader):
    some_record()
    out = tmp_path / "report.pdf"
    call_command(
        command(),
        "--format",
        "pdf",
        "-o",
        str(out),
        stdout=io.StringIO(),
        acting_user=reader.username,
    )
    assert out.read_bytes().startswith(b"%PDF")


def test_country_report_figure_prints_the_full_table_as_csv(ctx, reader):
    some_record()
    buffer = io.StringIO()
    call_command(
        command(),
        "figure",
        "detained-by-month",
        "--csv",
        stdout=buffer,
        acting_user=reader.username,
    )
    assert buffer.getvalue().splitlines() == ["month,persons detained,acts", "2021-03,1,1"]


def test_country_report_imports_the_lawtrend_series(ctx, shared_data: Path, reader):
    path = shared_data / "stats" / "lawtrend_ngo_liquidations_belarus_timeseries.csv"
    buffer = io.StringIO()
    call_command(
        command(),
        "import-series",
        "lawtrend",
        str(path),
        stdout=buffer,
        acting_user=reader.username,
    )
    call_command(
        command(),
        "import-series",
        "lawtrend",
        str(path),
        stdout=buffer,
        acting_user=reader.username,
    )
    first, second = buffer.getvalue().splitlines()
    assert first.startswith("lawtrend: 20 created")  # 11 statistics and 9 distinct sources
    assert second.startswith("lawtrend: 0 created, 0 updated")


def test_country_report_without_an_output_file_is_refused(ctx, reader):
    with pytest.raises(ValidationFailed):
        call_command(
            command(), "--format", "pdf", stdout=io.StringIO(), acting_user=reader.username
        )


def test_the_report_has_the_how_many_section_with_estimates_and_their_intervals(ctx, reader):
    from tests.policy.factories import saved, stored_estimate

    some_record()
    estimate = saved(stored_estimate("Fictional detentions estimate"))
    html = report_html(Coverage(reader))
    section = html[html.index('id="how-many"'):]
    assert "Persons detained" in section and "Lawyers persecuted" in section
    assert "<b>Documented:</b> 1 " in section  # the synthetic victim is not counted
    assert f"95% interval {estimate.interval_low:,.0f} – {estimate.interval_high:,.0f}" in section
    assert f"vigil estimate --recompute {estimate.pk}" in section
    assert "Fictional A + Fictional B + Fictional C" in section  # the overlap, by pattern
    assert section.count("No estimate stored for this category") == 2
