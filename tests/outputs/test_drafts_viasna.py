"""Drafts for a person imported from the real Viasna sample: facts, footnotes, missing fields."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import docx
import pytest

from vigil.outputs.document import Draft
from vigil.outputs.render import render
from vigil.outputs.services import build_draft
from vigil.records.custody import custody_of
from vigil.records.dates import display_date
from vigil.records.models import Act, Person

KINDS = ("wgad", "appeal", "brief")
DATE = re.compile(
    r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September"
    r"|October|November|December) \d{4}\b"
)


def _viasna_url(person: Person) -> str:
    return person.external_ids.get(scheme="viasna-url").value


def _refs_of(draft: Draft, needle: str) -> set[int]:
    return {
        n
        for s in draft.sections
        for p in s.paragraphs
        for r in p.runs
        if needle in r.text
        for n in r.refs
    }


def test_wgad_draft_states_the_persons_facts_with_footnotes_to_the_viasna_page(
    viasna_person, analyst
):
    draft = build_draft(analyst, "wgad", viasna_person)
    url = _viasna_url(viasna_person)
    for fact in ("17 May 1996", "2 October 2020", "Part 2 of Art. 285 CC", "Siarhei Khrypach"):
        refs = _refs_of(draft, fact)
        assert refs, f"{fact} is stated without a footnote"
        assert all(draft.footnotes[n - 1].url == url for n in refs)
    assert all(f.unverified for f in draft.footnotes)


def test_wgad_draft_lists_required_fields_the_record_lacks(viasna_person, analyst):
    draft = build_draft(analyst, "wgad", viasna_person)
    missing = {m.field_id: m for m in draft.missing}
    for field_id in ("full_name_and_address_of_submitter", "signature", "nationality"):
        assert missing[field_id].required
    assert "not coded yet" in missing["precise_reasons_why_detention_is_arbitrary"].why
    assert "date_of_arrest" not in missing and "family_name" not in missing


def test_drafts_state_no_date_absent_from_the_record(viasna_person, analyst):
    acts = Act.objects.filter(victim_person=viasna_person)
    known = {display_date(viasna_person.birth_date, "day")}
    known |= {display_date(d, "day") for a in acts for d in (a.date, a.date_end) if d}
    known.add(display_date(custody_of(viasna_person).term_ends, "day"))
    for kind in KINDS:
        draft = build_draft(analyst, kind, viasna_person)
        body = draft.text.split("\n", 3)[3]  # past the title, subtitle and "Prepared … on" note
        assert set(DATE.findall(body)) <= known, kind


def test_role_unconfirmed_counsel_is_never_called_defence_lawyer(viasna_person, analyst):
    text = build_draft(analyst, "wgad", viasna_person).text
    assert "Raman Biziuk (named by the source as counsel, role not confirmed)" in text
    assert "defence lawyer" not in text.lower()


@pytest.mark.slow  # ~2.1 s a run on a quiet 2-core machine
def test_every_draft_opens_as_docx_and_pdf(viasna_person, analyst):
    name = viasna_person.display_name
    for kind in KINDS:
        draft = build_draft(analyst, kind, viasna_person)
        doc = docx.Document(io.BytesIO(render(draft, "docx")))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert name in text and "Sources" in text and _viasna_url(viasna_person) in text
        pdf = render(draft, "pdf")
        assert pdf.startswith(b"%PDF")
        if shutil.which("pdftotext"):
            out = subprocess.run(
                ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
            ).stdout.decode()
            assert name in " ".join(out.split())


def test_missing_fields_are_placeholders_never_text(viasna_person, analyst):
    for kind in KINDS:
        draft = build_draft(analyst, kind, viasna_person)
        for section in draft.sections:
            for p in section.paragraphs:
                if any(r.placeholder for r in p.runs):
                    assert not any(r.refs for r in p.runs)
