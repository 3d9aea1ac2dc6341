"""Fill a form's sections from sourced runs; a field with nothing to say goes to "Missing"."""

from __future__ import annotations

import datetime as dt

from vigil.outputs.citing import Citations
from vigil.outputs.document import Draft, MissingField, Paragraph, Run, Section
from vigil.outputs.forms import FormSpec

NOT_IN_RECORD = "Not in the record — see “Missing information”."
REFERENCE_NOTE = (
    "References to WGAD categories, ICCPR articles, the Basic Principles on the Role of Lawyers "
    "and the Declaration on Human Rights Defenders are summaries written for Vigil, not the "
    "official text: verify against the OHCHR texts before quoting."
)


class Writer:
    """Builds one draft: numbered footnotes, form fields answered or listed as missing."""

    def __init__(self, kind: str, title: str, spec: FormSpec | None = None) -> None:
        # The brief lists its sources without quotes: one footnote per source.
        self.cites = Citations(one_per_source=kind == "brief")
        self.spec = spec
        self.draft = Draft(kind=kind, title=title)
        self._sections: dict[str, Section] = {}

    def section(self, heading: str) -> Section:
        """The section with this heading, created on first use (in order of first use)."""
        if heading not in self._sections:
            self._sections[heading] = Section(heading)
            self.draft.sections.append(self._sections[heading])
        return self._sections[heading]

    def para(self, heading: str, runs: list[Run], label: str = "") -> None:
        """Add a paragraph of runs under ``heading``."""
        self.section(heading).paragraphs.append(Paragraph(runs, label=label))

    def answer(self, field_id: str, answers: list[list[Run]], why_missing: str) -> None:
        """Answer a form field with paragraphs, or record it as missing with the reason."""
        assert self.spec is not None
        field = self.spec.field(field_id)
        section = self.section(self.spec.headings[field.section])
        if not answers:
            self.missing(field_id, why_missing)
            answers = [[Run(NOT_IN_RECORD, placeholder=True)]]
        for i, runs in enumerate(answers):
            label = field.label if i == 0 else ""
            section.paragraphs.append(Paragraph(runs, label=label, field_id=field_id))

    def missing(self, field_id: str, why: str, *, required: bool | None = None) -> None:
        """List a field for the drafter to complete; never filled with made-up text."""
        label = field_id.replace("_", " ")
        if self.spec is not None and field_id in self.spec.fields:
            field = self.spec.field(field_id)
            label = field.label
            required = field.required if required is None else required
        self.draft.missing.append(MissingField(field_id, label, why, bool(required)))

    def finish(self, notes: list[str]) -> Draft:
        """The finished draft, with its footnotes and preamble notes."""
        draft = self.draft
        draft.footnotes = list(self.cites.footnotes)
        draft.notes = [f"Prepared from the Vigil record on {dt.date.today():%d %B %Y}.", *notes]
        if self.cites.withheld:
            draft.notes.append(
                f"{len(self.cites.withheld)} restricted or confidential source(s) support facts "
                "in the record but are not cited in this draft."
            )
        draft.missing.sort(key=lambda m: not m.required)
        return draft
