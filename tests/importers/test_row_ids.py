"""The ids an import has read: repeats found with their first line, 12 bytes a numeric id."""

import tracemalloc

import pytest

from vigil.importers import rows
from vigil.importers.rows import RowIds


def test_a_repeated_id_gives_the_line_it_was_first_read_on():
    ids = RowIds()
    assert ids.first_line("9000001", 2) is None
    assert ids.first_line("9000002", 3) is None
    assert ids.first_line("9000001", 4) == 2
    assert ids.first_line("9000001", 5) == 2
    assert len(ids) == 2


def test_ids_that_read_as_the_same_number_are_different_ids():
    ids = RowIds()
    assert ids.first_line("7", 2) is None
    assert ids.first_line("007", 3) is None  # a leading zero: another id
    assert ids.first_line("٧", 4) is None  # an Arabic-Indic seven: another id
    assert ids.first_line("+7", 5) is None
    assert ids.first_line("0", 6) is None
    assert ids.first_line("00", 7) is None
    assert [ids.first_line(i, 9) for i in ("7", "007", "٧", "+7", "0", "00")] == [2, 3, 4, 5, 6, 7]


def test_text_long_numbers_and_far_lines_are_remembered_too():
    ids = RowIds()
    long_number = "1" * 30
    assert ids.first_line("abc-12", 2) is None
    assert ids.first_line(long_number, 3) is None
    assert ids.first_line("42", 2**31 + 1) is None
    assert ids.first_line("43", 8) is None
    assert ids.first_line("abc-12", 9) == 2
    assert ids.first_line(long_number, 10) == 3
    assert ids.first_line("42", 2**31 + 5) == 2**31 + 1
    assert ids.first_line("43", 2**31 + 6) == 8


def test_many_ids_in_any_order_keep_their_lines_as_the_table_grows():
    ids = RowIds(bits=2)
    numbers = [(n * 7919) % 100_003 for n in range(20_000)]  # distinct, scattered
    for line, n in enumerate(numbers, start=2):
        assert ids.first_line(str(n), line) is None
    assert len(ids) == 20_000
    for line, n in enumerate(numbers, start=2):
        assert ids.first_line(str(n), 10**6) == line
    assert ids.first_line("100003", 10**6) is None


_HERE_OR_IN_ROWS = [tracemalloc.Filter(True, rows.__file__), tracemalloc.Filter(True, __file__)]


def _blocks_held(ids: RowIds, texts: list[str]) -> int:
    """The blocks still alive after ``texts`` are read as ids on lines 2, 3, … that were
    allocated here or in the module that keeps the ids (the line numbers, the parsed ids):
    another thread of the test process allocating meanwhile is not counted (the whole
    process's block count once moved by 105 during this loop in CI)."""
    tracemalloc.start()
    try:
        for line, rid in enumerate(texts, start=2):
            ids.first_line(rid, line)
        snapshot = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    held = snapshot.filter_traces(_HERE_OR_IN_ROWS)
    return sum(stat.count for stat in held.statistics("filename"))


@pytest.mark.slow  # ~0.9 s a run on a quiet 2-core machine
def test_numeric_ids_hold_no_python_object_each_and_a_bounded_number_of_bytes():
    ids = RowIds()
    count = 50_000
    texts = [str(9_000_001 + n) for n in range(count)]
    assert _blocks_held(ids, texts) < 100  # a dict held a line's integer per id
    # 12 bytes a slot, the table at least 3/8 full after it doubles: at most 32 bytes an id.
    assert ids.nbytes <= 32 * count


def test_the_block_count_above_sees_a_dictionary_of_ids():
    """The measure above could fail: ids kept in a dictionary are counted in the same way."""
    texts = [f"x{n}" for n in range(5_000)]  # not numeric: kept in the dictionary
    assert _blocks_held(RowIds(), texts) >= 1_000
