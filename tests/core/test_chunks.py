"""The one chunking helper: key lists in slices a statement can take, used by every module
that reads or writes by key in batches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vigil.core.chunks import chunked

SRC = Path(__file__).resolve().parents[2] / "src" / "vigil"


def test_chunked_gives_consecutive_slices_in_order_with_a_shorter_last_one():
    assert list(chunked(list(range(7)), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunked(list(range(6)), 3)) == [[0, 1, 2], [3, 4, 5]]
    assert list(chunked([1, 2], 900)) == [[1, 2]]


def test_chunked_of_nothing_is_no_chunk():
    assert list(chunked([], 5)) == []


def test_chunked_keeps_the_type_of_what_it_slices():
    assert list(chunked("ABCDEFGHIJ", 4)) == ["ABCD", "EFGH", "IJ"]
    assert list(chunked(bytes(range(5)), 2)) == [b"\x00\x01", b"\x02\x03", b"\x04"]
    assert list(chunked((1, 2, 3), 2)) == [(1, 2), (3,)]


@pytest.mark.parametrize("size", [0, -1])
def test_chunked_refuses_a_size_below_one(size):
    with pytest.raises(ValueError, match="at least 1"):
        list(chunked([1, 2, 3], size))


def test_no_module_keeps_its_own_chunking_helper_or_loop():
    own = re.compile(r"def _chunks\(|range\(0, len\(")
    found = [
        f"{path.relative_to(SRC)}:{number}"
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "chunks.py" and "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if own.search(line)
    ]
    assert found == [], "use vigil.core.chunks.chunked instead:\n  " + "\n  ".join(found)
