"""Reading batch-screening input: one query per line, `name` or `name<TAB>YYYY[-MM-DD]`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from vigil.core.errors import ValidationFailed

_BIRTH = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def read_queries(lines: Iterable[str]) -> Iterator[tuple[str, str | None]]:
    """Yield (name, birth date or None); blank lines and `#` comments are skipped."""
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, _, birth = line.partition("\t")
        birth = birth.strip()
        if birth and not _BIRTH.match(birth):
            raise ValidationFailed(
                f"line {number}: birth date {birth!r} is not YYYY, YYYY-MM or YYYY-MM-DD"
            )
        yield name.strip(), birth or None
