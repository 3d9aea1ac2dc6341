"""Footnote numbering and the form field lists, without the database."""

from __future__ import annotations

import uuid
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from vigil.outputs.citing import Citations
from vigil.outputs.forms import form
from vigil.records.models import ClaimKind, Information, Source

SOURCES = [Source(id=uuid.uuid4(), title=f"Fictional source {i}") for i in range(3)]


def _info(source: int, kind: str, quote: str) -> Information:
    return Information(id=uuid.uuid4(), source=SOURCES[source], claim_kind=kind, quote=quote)


claims = st.lists(
    st.builds(
        _info,
        st.integers(0, 2),
        st.sampled_from([ClaimKind.SOURCE_TEXT, ClaimKind.READER_COMMENT]),
        st.sampled_from(["", "a", "b"]),
    ),
    max_size=12,
)


@given(st.lists(claims, max_size=6))
def test_footnotes_are_numbered_one_to_n_and_shared_by_equal_claims(batches):
    cites = Citations()
    seen: dict[tuple[object, ...], int] = {}
    for batch in batches:
        refs = cites.cite(batch)
        assert len(refs) == len(set(refs))
        for info, n in zip(batch, [cites.cite([i])[0] for i in batch], strict=True):
            key = (info.source_id, info.claim_kind, info.quote)
            assert seen.setdefault(key, n) == n
    assert [f.n for f in cites.footnotes] == list(range(1, len(cites.footnotes) + 1))


def test_readers_comment_footnote_says_so():
    cites = Citations()
    (n,) = cites.cite([_info(0, ClaimKind.READER_COMMENT, "40 minutes")])
    assert "reported only in a reader's comment" in cites.footnotes[n - 1].text


def test_wgad_form_covers_every_field_of_the_questionnaire(shared_data: Path):
    spec = yaml.safe_load(
        (shared_data / "forms" / "wgad_model_questionnaire_fields.yaml").read_text()
    )
    ours = set(form("wgad").fields)
    for items in spec["sections"].values():
        for item in items:
            name = item if isinstance(item, str) else next(iter(item))
            assert name in ours or f"{name}_arrest" in ours, name


def test_sp_form_covers_every_field_of_the_guidance(shared_data: Path):
    spec = yaml.safe_load(
        (shared_data / "forms" / "sp_communication_minimum_fields.yaml").read_text()
    )
    ours = form("sp").fields
    for name in spec["minimum_required"]:
        assert ours[name].required, name
    assert set(spec["recommended"]) <= set(ours)
