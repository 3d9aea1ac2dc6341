"""Sentences handed by a perpetrator: one definition, the same on the page, the gap report and
the dossier (issue 10, item 2).

The worked example: one judge with a 54-month colony sentence upheld on appeal (the appeal
restating 54 months), a 24-month suspended sentence, a 36-month home confinement and a
duplicated involvement. Deprivation of liberty is 54 months; the others are listed apart.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from tests.record_acts import act_of

from vigil.accounts.models import User
from vigil.accounts.testing import login_verified
from vigil.core.context import change_context
from vigil.records.models import Act, Involvement, Person, Term
from vigil.records.sentence_totals import sentence_totals
from vigil.sanctions.gap import gap_report
from vigil.sanctions.reports import dossier_context, gap_csv, gap_html

pytestmark = pytest.mark.django_db
D = dt.date


def _judge(act: Act, judge: Person, role: str = "judge") -> None:
    Involvement.objects.create(
        act=act, perpetrator_person=judge, role_id=Term.pk_for("perpetrator_role", role)
    )


@pytest.fixture
def judge(db: Any) -> Person:
    with change_context("test", detail="worked example of issue 10"):
        judge = Person.objects.create(display_name="Iudex Fictus Exemplaris")
        colony = act_of(
            Person.objects.create(display_name="Fictional Victim Colonia"),
            "sentence",
            D(2021, 5, 4),
            sentence_months=Decimal(54),
            sentence_regime_id=Term.pk_for("detention_regime", "general_colony"),
        )
        upheld = act_of(
            colony.victim_person,
            "appeal_decision",
            D(2021, 8, 10),
            sentence_months=Decimal(54),
            sentence_regime_id=Term.pk_for("detention_regime", "general_colony"),
        )
        suspended = act_of(
            Person.objects.create(display_name="Fictional Victim Suspensa"),
            "sentence",
            D(2022, 2, 1),
            sentence_months=Decimal(24),
            suspended=True,
        )
        home = act_of(
            Person.objects.create(display_name="Fictional Victim Domestica"),
            "sentence",
            D(2022, 3, 1),
            sentence_months=Decimal(36),
            restriction_measure_id=Term.pk_for("restriction_measure", "home_confinement"),
        )
        for act in (colony, upheld, suspended, home):
            _judge(act, judge)
        _judge(colony, judge, "presiding_judge")  # the duplicated involvement
    return judge


@pytest.fixture
def analyst(db: Any) -> User:
    return User.objects.create_user("fictional-analyst", role="analyst")


def test_sentence_totals_count_each_act_once_and_the_appeal_replaces_the_first_instance(judge):
    acts = [i.act for i in Involvement.objects.filter(perpetrator_person=judge)]
    totals = sentence_totals(acts)
    assert (totals.deprivation_months, totals.deprivation_acts) == (Decimal(54), 1)
    assert (totals.restriction_months, totals.restriction_acts) == (Decimal(36), 1)
    assert (totals.suspended_months, totals.suspended_acts) == (Decimal(24), 1)
    assert (totals.fine_acts, totals.arrest_days, totals.replaced_on_appeal) == (0, 0, 1)


def test_perpetrator_page_says_54_months_of_deprivation_of_liberty_and_lists_the_rest(
    client, judge, analyst
):
    login_verified(client, analyst)
    html = client.get(f"/perpetrators/{judge.pk}/").content.decode()
    block = html[html.index('class="stat-grid sentence-totals"') :]
    block = block[: block.index("</ul>")]
    stats = dict(
        (label.strip(), n.strip())
        for n, label in [
            (
                item.split('<span class="stat__n">')[1].split("</span>")[0],
                item.split('<span class="stat__label">')[1].split("</span>")[0],
            )
            for item in block.split("<li")[1:]
        ]
    )
    assert stats["deprivation of liberty handed in total"] == "4 years 6 months"
    assert stats["restriction of liberty (khimiya, home confinement)"] == "3 years"
    assert stats["suspended sentences"] == "2 years"
    assert stats["sentences with a fine"] == "0" and stats["days of arrest"] == "0"
    assert "imprisonment handed in total" not in html
    # Four acts (the duplicated involvement is not a fifth), three of them sentences after
    # the appeal: the stats count each act once.
    assert '<span class="stat__n">4</span> <span class="stat__label">acts</span>' in html


def _gap_row(rows: list[dict[str, str]], name: str) -> dict[str, str]:
    return next(r for r in rows if r["perpetrator"] == name)


def test_gap_csv_and_html_say_54_months_of_deprivation_of_liberty(judge, analyst):
    report = gap_report(analyst)
    (gap,) = [r for r in report.rows if r.person == judge]
    assert len(gap.acts) == 4 and gap.roles == ["judge", "presiding_judge"]
    row = _gap_row(list(csv.DictReader(io.StringIO(gap_csv(report)))), judge.display_name)
    assert row["months of deprivation of liberty handed"] == "54"
    assert row["months of restriction of liberty handed"] == "36"
    assert row["months of suspended sentences"] == "24"
    assert (row["fines"], row["days of arrest"]) == ("0", "0")
    text = io.StringIO()
    call_command("sanctions", "gap", acting_user=analyst.username, stdout=text)
    block = text.getvalue().split(judge.display_name, 1)[1]
    assert (
        "sentences: deprivation of liberty 54 months; restriction of liberty 36 months; "
        "suspended 24 months; 0 with a fine; arrest 0 days"
    ) in block
    html = gap_html(report)
    line = html[html.index(judge.display_name) :]
    line = line[: line.index("</tr>")]
    assert "<td>54</td><td>36</td><td>24</td><td>0</td><td>0</td>" in line


def test_dossier_says_54_months_of_deprivation_of_liberty_and_lists_the_rest(
    judge, analyst, tmp_path
):
    html = render_to_string("sanctions/dossier.html", dossier_context(analyst, judge))
    assert "deprivation of liberty: 54 months in 1 sentence" in html
    assert "restriction of liberty (khimiya, home confinement): 36 months in 1 sentence" in html
    assert "suspended sentences: 24 months in 1 sentence" in html
    assert "months of imprisonment handed" not in html
    out = tmp_path / "dossier.pdf"
    user = analyst.username
    call_command("sanctions", "dossier", str(judge.pk), "-o", str(out), acting_user=user)
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        assert "deprivation of liberty: 54 months in 1 sentence" in " ".join(text.split())
