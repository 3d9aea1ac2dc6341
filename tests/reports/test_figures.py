"""The country report's figures: derived from acts, synthetic and confidential records left out."""

from __future__ import annotations

import datetime as dt

from tests.reports import factories as f
from vigil.reports.coverage import Coverage
from vigil.reports.figures import figure

D = dt.date


def test_detained_by_month_counts_persons_per_month_from_arrest_and_detention_acts(ctx, reader):
    a, b = f.person("Fictional Ana Testava"), f.person("Fictional Bo Testau")
    f.act("arrest", a, D(2021, 3, 4))
    f.act("detention", a, D(2021, 3, 20))  # same person, same month: counted once
    f.act("administrative_arrest", b, D(2021, 3, 9))
    f.act("arrest", b, D(2021, 7, 1))
    f.act("sentence", b, D(2021, 9, 1), months=24)  # not a detention act
    found = figure("detained-by-month", Coverage(reader))
    assert found.rows == [("2021-03", 2, 3), ("2021-07", 1, 1)]
    assert found.period == ("2021-03", "2021-07")


def test_detained_by_month_reports_acts_without_a_month_instead_of_guessing_one(ctx, reader):
    a = f.person("Fictional Ana Testava")
    f.act("arrest", a, D(2021, 1, 1), precision="year")
    f.act("arrest", a, None)
    found = figure("detained-by-month", Coverage(reader))
    assert found.rows == []
    assert any("2 arrest or detention acts" in n for n in found.notes)


def test_synthetic_records_never_reach_a_figure(ctx, reader):
    real = f.person("Fictional Ana Testava")
    fake = f.person("Fictional Synthetic Person", synthetic=True)
    judge = f.person("Fictional Judge Real")
    fake_judge = f.person("Fictional Judge Synthetic", synthetic=True)
    law = f.provision("342", title="Fictional test title")
    f.act("arrest", real, D(2022, 5, 5))
    f.act("arrest", fake, D(2022, 5, 5), synthetic=True)
    f.act("arrest", fake, D(2022, 6, 5), synthetic=True)
    real_sentence = f.act("sentence", real, D(2022, 9, 1), months=36)
    fake_sentence = f.act("sentence", fake, D(2022, 9, 1), months=36, synthetic=True)
    f.charge(real_sentence, law)
    f.charge(fake_sentence, law)
    f.judged(real_sentence, judge)
    f.judged(fake_sentence, fake_judge)
    f.intervention("urgent_appeal", None, synthetic=True)
    assert figure("detained-by-month", Coverage(reader)).rows == [("2022-05", 1, 1)]
    assert [r[2:] for r in figure("sentences-by-article", Coverage(reader)).rows] == [(1, 1)]
    assert [r[0] for r in figure("judges", Coverage(reader)).rows] == ["Fictional Judge Real"]
    assert figure("interventions", Coverage(reader)).rows == []
    with_synthetic = Coverage(reader, include_synthetic=True)
    assert figure("detained-by-month", with_synthetic).rows == [
        ("2022-05", 2, 2),
        ("2022-06", 1, 1),
    ]


def test_a_real_act_against_a_synthetic_person_is_not_counted(ctx, reader):
    fake = f.person("Fictional Synthetic Person", synthetic=True)
    f.act("arrest", fake, D(2022, 5, 5))
    assert figure("detained-by-month", Coverage(reader)).rows == []


def test_restricted_and_deleted_records_are_left_out_by_default(ctx, reader):
    a = f.person("Fictional Ana Testava")
    f.act("arrest", a, D(2020, 8, 10), confidentiality="restricted")
    gone = f.act("arrest", a, D(2020, 9, 10))
    gone.soft_delete("fictional test deletion")
    f.act("arrest", a, D(2020, 10, 10), confidentiality="public")
    assert figure("detained-by-month", Coverage(reader)).rows == [("2020-10", 1, 1)]
    wider = figure("detained-by-month", Coverage(reader, ceiling="restricted")).rows
    assert wider == [("2020-08", 1, 1), ("2020-10", 1, 1)]


def test_sentences_by_article_counts_each_provision_charged(ctx, reader):
    a, b = f.person("Fictional Ana Testava"), f.person("Fictional Bo Testau")
    riots, calls = f.provision("293", "2", "Participation in riots"), f.provision("361")
    s1 = f.act("sentence", a, D(2021, 5, 1), months=30)
    s2 = f.act("sentence", b, D(2021, 6, 1), months=36)
    f.charge(s1, riots)
    f.charge(s1, calls)
    f.charge(s2, riots)
    f.act("sentence", b, D(2022, 1, 1))  # no charge recorded
    found = figure("sentences-by-article", Coverage(reader))
    assert found.rows == [
        ("Part 2 of Art. 293 CC", "Participation in riots", 2, 2),
        ("Art. 361 CC", "", 1, 1),
    ]
    assert found.notes == ["1 sentences have no recorded legal provision."]


def test_judges_are_ranked_by_distinct_acts_and_limited_to_the_top(ctx, reader):
    judges = [f.person(f"Fictional Judge {n}") for n in "ABC"]
    victims = [f.person(f"Fictional Victim {n}") for n in range(3)]
    for i, judge in enumerate(judges):
        for victim in victims[: i + 1]:
            f.judged(f.act("sentence", victim, D(2021, 1, 1 + i)), judge)
    found = figure("judges", Coverage(reader))
    assert found.rows == [
        ("Fictional Judge C", 3, 3),
        ("Fictional Judge B", 2, 2),
        ("Fictional Judge A", 1, 1),
    ]
    from vigil.reports.figures import judges as judges_figure

    top = judges_figure(Coverage(reader), top=2)
    assert len(top.rows) == 2 and "of 3 judges" in top.notes[0]


def test_courts_count_court_acts_held_there(ctx, reader):
    here = f.court("Fictional District Court")
    a = f.person("Fictional Ana Testava")
    f.act("sentence", a, D(2021, 1, 1), place=here)
    f.act("appeal_decision", a, D(2021, 4, 1), place=here)
    f.act("arrest", a, D(2020, 12, 1), place=here)  # not a court act
    assert figure("courts", Coverage(reader)).rows == [("Fictional District Court", 2, 1)]


def test_lawyers_figure_counts_only_persons_with_the_profession_lawyer(ctx, reader):
    counsel = f.lawyer("Fictional Advocate Ona")
    other = f.person("Fictional Non-lawyer")
    f.act("disbarment", counsel, D(2022, 2, 1))
    f.act("arrest", counsel, D(2023, 3, 1))
    f.act("sentence", counsel, D(2023, 9, 1), months=72)
    f.act("arrest", other, D(2023, 3, 1))
    found = figure("lawyers", Coverage(reader))
    assert found.rows == [
        (2022, "disbarred or licence suspended", 1, 1),
        (2023, "detained", 1, 1),
        (2023, "sentenced", 1, 1),
    ]
    assert found.period == (2022, 2023)


def test_interventions_are_counted_by_type_and_response_and_an_empty_response_is_not_filled(
    ctx, reader
):
    f.intervention("urgent_appeal", None)
    f.intervention("urgent_appeal", None)
    f.intervention("wgad_opinion", "rejected")
    rows = figure("interventions", Coverage(reader)).rows
    assert ("Urgent appeal", "not recorded", 2) in rows
    assert ("Opinion of the Working Group on Arbitrary Detention", "Rejected", 1) in rows


def test_every_figure_names_its_period_sources_and_reproducing_command(ctx, reader):
    src = f.source("Fictional monitoring report")
    a = f.person("Fictional Ana Testava")
    arrest = f.act("arrest", a, D(2021, 3, 4))
    f.cite(src, arrest.event)
    found = figure("detained-by-month", Coverage(reader))
    assert found.command == "vigil country-report figure detained-by-month --csv"
    assert found.attribution.count == 1
    assert "Fictional monitoring report" in found.attribution.text()
    assert found.period_text == "2021-03"
    assert found.to_csv().splitlines() == ["month,persons detained,acts", "2021-03,1,1"]


def test_a_restricted_source_is_not_named_in_a_figure(ctx, reader):
    secret = f.source("Fictional witness statement", confidentiality="restricted")
    a = f.person("Fictional Ana Testava")
    f.cite(secret, f.act("arrest", a, D(2021, 3, 4)))
    assert figure("detained-by-month", Coverage(reader)).attribution.count == 0
