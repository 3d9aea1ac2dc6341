from hypothesis import given
from hypothesis import strategies as st

from vigil.responses.models import Standard
from vigil.responses.standards import SUMMARY_NOTICE, shipped_standards, standard_id, sync_standards


def test_shipped_standards_cover_the_five_instruments_with_unique_ids():
    found = shipped_standards()
    assert {s.instrument for s in found} == {"ICCPR", "CAT", "BPRL", "HRDD", "WGAD"}
    assert len({s.pk for s in found}) == len(found)


def test_shipped_standards_hold_the_ids_the_rules_name():
    from vigil.responses.rules import rule_table

    table = rule_table()
    named = {sid for r in table.rules.values() for sid in r["standards"]}
    named |= {sid for ids in table.rights.values() for sid in ids}
    assert named <= {s.pk for s in shipped_standards()}


def test_wgad_category_v_is_discrimination_per_the_reference_summary():
    wgad_v = next(s for s in shipped_standards() if s.pk == "wgad:V")
    assert "discrimination" in wgad_v.label and "political or other opinion" in wgad_v.label


def test_citation_reads_paragraph_and_sub_paragraph():
    by_id = {s.pk: s for s in shipped_standards()}
    assert by_id["iccpr:14:3(b)"].citation == "ICCPR art. 14(3)(b)"
    assert by_id["iccpr:21"].citation == "ICCPR art. 21"
    assert by_id["wgad:III"].citation == "WGAD category III"


def test_summary_notice_says_not_official_text():
    assert SUMMARY_NOTICE == "summary written for Vigil, not official text"


def test_sync_standards_is_idempotent(db):
    first = sync_standards()
    second = sync_standards()
    assert first == second == Standard.objects.count()


@given(st.text(min_size=1, max_size=5), st.text(max_size=5))
def test_standard_id_starts_with_lowercased_instrument(article, paragraph):
    assert standard_id("ICCPR", article, paragraph).startswith("iccpr:" + article)
