"""The results table's header cells drawn in Python: the bytes of the template loop they replace."""

from __future__ import annotations

import pytest
from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe

from vigil.web.listing import Column, Header, headers
from vigil.web.lists import SPECS
from vigil.web.templatetags.vigil_rows import SORT_HEADERS_LOOP, sort_headers

LOOP = engines["django"].from_string(SORT_HEADERS_LOOP)
# Filters to keep in the links: plain, with characters to escape, Cyrillic, repeated keys.
FILTERS = ("", "q=%3Cb%3E%22%26%27", "q=Іваноў&confidentiality=public", "act_type=a&act_type=b")


def _loop(found: list[Header]) -> str:
    return LOOP.render({"headers": found})


@pytest.mark.parametrize("language", ["en", "be", "ru"])
@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_lists_headers_are_the_loops_bytes_for_every_sort_and_filter(name, language):
    spec = SPECS[name]
    sorts = [spec.default_sort, "nonsense"]
    for column in spec.columns:
        if column.order:
            sorts += [column.key, f"-{column.key}"]
    compared = 0
    with translation.override(language):
        for sort in sorts:
            for kept in FILTERS:
                found = headers(spec, sort.strip(), kept)
                assert str(sort_headers(found)) == _loop(found)
                compared += 1
    assert compared == len(sorts) * len(FILTERS)


def test_numeric_unsortable_and_odd_headers_are_the_loops_bytes():
    found = [
        Header(Column("acts", "Acts <&>", ("act_count",), numeric=True), "sort=acts&q=%22", "none"),
        Header(Column("victims", mark_safe("<i>Victims</i>"), numeric=True), "", ""),
        Header(Column("name", "Name \"'", ("display_name",)), "sort=-name", "ascending"),
        Header(Column("born", "Born", ("birth_date",)), "sort=born", "descending"),
        Header(Column("odd", "Odd", ("x",)), "sort=odd", 'a"<b>'),
    ]
    drawn = str(sort_headers(found))
    assert drawn == _loop(found)
    assert ' class="num"' in drawn and "&lt;i&gt;" not in drawn and "&lt;&amp;&gt;" in drawn
    assert drawn.count(" ▲") == 1 and drawn.count(" ▼") == 1


def test_no_headers_draw_nothing_as_the_loop():
    assert str(sort_headers([])) == _loop([]) == ""
