"""Pure readers for sanctions lists: EU 765/2006 CSV, OFAC SDN CSV, UN XML, FtM entities.

Each reader takes a file path and returns a `Reading`: iterate it for `ListedRecord`s (memory
stays flat in the file size), then look at `problems` and `source_version`; or call
`collect()` for a `ReadResult`. A `ListFormatError` means the file is not of the kind or is
truncated, and nothing read from it should be kept.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from vigil.sanctions.sources.eu_765 import read_eu_765
from vigil.sanctions.sources.ftm_lines import read_ftm
from vigil.sanctions.sources.ofac_sdn import read_ofac_sdn
from vigil.sanctions.sources.reading import Reading
from vigil.sanctions.sources.records import (
    ListedRecord,
    ListFormatError,
    NameForm,
    ReadResult,
    RowProblem,
)
from vigil.sanctions.sources.un_xml import read_un

READERS: dict[str, Callable[[Path], Reading]] = {
    "eu-765": read_eu_765,
    "ofac-sdn": read_ofac_sdn,
    "un": read_un,
    "ftm": read_ftm,
}

__all__ = [
    "READERS",
    "ListFormatError",
    "ListedRecord",
    "NameForm",
    "ReadResult",
    "Reading",
    "RowProblem",
    "read_eu_765",
    "read_ftm",
    "read_ofac_sdn",
    "read_un",
]
