from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from vigil.core.errors import ValidationFailed, VigilError
from vigil.counting.table import (
    OverlapTable,
    all_patterns,
    parse_overlap_table,
    read_overlap_table,
)


def test_reads_the_kosovo_table_with_its_frequency_column(shared_data):
    table = read_overlap_table(shared_data / "mse" / "kosovo_1999_4lists.csv")
    assert table.lists == ("EXH", "ABA", "OSCE", "HRW")
    assert table.observed == 4400
    assert len(table.counts) == 15
    exh_only = [i for i, p in enumerate(table.patterns) if list(p) == [1, 0, 0, 0]][0]
    assert table.counts[exh_only] == 1131


def test_count_column_is_found_by_its_name_even_when_not_last():
    table = parse_overlap_table("n,A,B\n5,1,0\n3,0,1\n2,1,1\n")
    assert table.lists == ("A", "B") and table.observed == 10


def test_count_column_is_the_last_one_when_none_is_named():
    table = parse_overlap_table("A,B,C,persons\n1,0,0,4\n0,1,1,6\n")
    assert table.lists == ("A", "B", "C") and table.observed == 10


def test_table_without_header_names_its_lists():
    table = parse_overlap_table("1,0,7\n0,1,5\n1,1,2\n")
    assert table.lists == ("list1", "list2") and table.observed == 14


def test_semicolon_separated_table_is_read():
    table = parse_overlap_table("A;B;count\n1;0;7\n0;1;5\n1;1;2\n")
    assert table.observed == 14


def test_repeated_patterns_add_up_and_missing_patterns_count_zero():
    table = parse_overlap_table("A,B,C,count\n1,0,0,1\n1,0,0,1\n0,1,1,3\n")
    assert table.observed == 5
    assert sorted(table.counts.tolist()) == [0, 0, 0, 0, 0, 2, 3]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("A,B,count\n1,0,4\n2,1,3\n", "line 3: list cells must be 0 or 1, found '2'"),
        ("A,B,count\n1,0,4\n0,1\n", "line 3: expected 3 columns"),
        ("A,B,count\n1,0,-4\n", "line 2: the count must be a whole number ≥ 0, found '-4'"),
        ("A,B,count\n1,0,2.5\n", "line 2: the count must be a whole number ≥ 0, found '2.5'"),
        ("A,B,count\n1,0,4\n0,0,9\n", "line 3: a person on no list cannot be counted"),
        ("A,count\n1,4\n", "line 1: needs at least two list columns"),
        ("A,A,count\n1,0,4\n", "line 1: two list columns share a name"),
        ("A,B,count\n1,0,0\n0,1,0\n", "no persons counted"),
        ("A,B,count\n1,0,4\n1,1,0\n", "list 'B' recorded nobody"),
        ("  \n", "the file is empty"),
    ],
)
def test_bad_table_is_refused_naming_the_line_and_reason(text, reason):
    with pytest.raises(ValidationFailed) as raised:
        parse_overlap_table(text, name="lists.csv")
    assert raised.value.message.startswith("lists.csv: ")
    assert reason in raised.value.message
    assert isinstance(raised.value, VigilError)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ValidationFailed, match="no such file"):
        read_overlap_table(Path(tmp_path / "absent.csv"))


@given(
    st.integers(min_value=2, max_value=5).flatmap(
        lambda k: st.tuples(
            st.just(k), st.lists(st.integers(0, 500), min_size=2**k - 1, max_size=2**k - 1)
        )
    )
)
def test_a_written_table_reads_back_with_the_same_counts(case):
    k, counts = case
    table = OverlapTable.from_counts(
        tuple(f"list {j}" for j in range(k)),
        {tuple(int(b) for b in row): n for row, n in zip(all_patterns(k), counts, strict=True)},
    )
    assume(all(table.counts[table.patterns[:, j] == 1].sum() for j in range(k)))
    rows = [",".join([*table.lists, "count"])]
    for pattern, n in zip(table.patterns, table.counts, strict=True):
        rows.append(",".join([*map(str, pattern), str(n)]))
    again = parse_overlap_table("\n".join(rows))
    assert again.lists == table.lists
    assert again.counts.tolist() == table.counts.tolist()
