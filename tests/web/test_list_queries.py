"""A list page's links (sort headers, previous and next pages, the export's view) are the view's
query with a value or two set, written as Django's ``QueryDict`` writes it.

The query is parsed and its pairs encoded once a page (``listing._Query``, issue 14 §2, tenth
round); these tests hold each result to ``QueryDict(base)`` with the values set, ``urlencode``d.
"""

from __future__ import annotations

import pytest
from django.http import QueryDict

from vigil.web import listing
from vigil.web.lists import PERSONS

BASES = (
    "",
    "q=Ales+Quorvalik",
    "q=%D0%90%D0%BB%D0%B5%D1%81%D1%8C+%D0%9A%D0%B2%D0%BE%D1%80%D0%B2%D0%B0%D0%BB%D1%96%D0%BA",
    "q=%3Ca+href%3D%22x%22%3E%27%26&custody=in_custody&date_from=2020-01-01",
    "act_type=sentence&act_type=detention&court=c%2B1&sort=-name",
    "page=3&q=a~b%2Fc%3F&empty=",
    "sort=born&q=x&page=7&q=y",
)
VALUES = (
    {"page": "2"},
    {"sort": "-born"},
    {"sort": "name", "page": "11"},
    {"page": "1", "sort": "updated"},
    {"q": "Івана Кворвалік & <b>"},
)


def _django(base: str, **values: str) -> str:
    params = QueryDict(base, mutable=True)
    for key, value in values.items():
        params[key] = value
    return params.urlencode()


@pytest.mark.parametrize("base", BASES)
def test_a_query_with_values_set_is_what_querydict_writes(base: str) -> None:
    query = listing._Query(base)
    for values in VALUES:
        assert query.set(**values) == _django(base, **values), (base, values)
        assert query.set(**values) == _django(base, **values)  # asked twice, the same


@pytest.mark.parametrize("base", BASES)
def test_a_pages_links_are_what_querydict_writes(base: str) -> None:
    for sort in ("name", "-born"):
        found = listing.headers(PERSONS, sort, base)
        for header in found:
            if header.url:
                target = QueryDict(header.url)["sort"]
                assert header.url == _django(base, sort=target)
