"""A draft independent of format: sections of paragraphs, footnotes and missing fields."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    """A piece of text, followed by the numbers of the footnotes that support it."""

    text: str
    refs: tuple[int, ...] = ()
    placeholder: bool = False


@dataclass
class Paragraph:
    """One paragraph; ``label`` names the form field it answers, if any."""

    runs: list[Run]
    label: str = ""
    field_id: str = ""

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Section:
    heading: str
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass(frozen=True)
class Footnote:
    """A numbered source note: which source, how reliable, and what kind of claim."""

    n: int
    title: str
    url: str = ""
    publisher: str = ""
    reliability: str = ""
    claim_kind: str = ""
    quote: str = ""
    unverified: bool = False

    @property
    def short_text(self) -> str:
        """The note without its quote (for the one-page brief)."""
        return self.text.split(" Quote: ", 1)[0]

    @property
    def text(self) -> str:
        """The note as one line of text."""
        pieces = [self.title]
        if self.publisher:
            pieces.append(self.publisher)
        if self.url:
            pieces.append(self.url)
        pieces.append(f"reliability: {self.reliability or 'not rated'}")
        if self.unverified and "unverified" not in self.reliability.lower():
            pieces.append("unverified")
        if self.claim_kind:
            pieces.append(self.claim_kind)
        line = "; ".join(pieces) + "."
        if self.quote:
            line += f" Quote: “{self.quote}”"
        return line


@dataclass(frozen=True)
class MissingField:
    """A field of the form that the record cannot fill: left for the drafter, never invented."""

    field_id: str
    label: str
    why: str
    required: bool = True


@dataclass
class Draft:
    """A document ready to render: title, preamble notes, sections, footnotes, missing fields."""

    kind: str
    title: str
    subtitle: str = ""
    notes: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    missing: list[MissingField] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Everything the draft says, as plain text (for checks and search)."""
        lines = [self.title, self.subtitle, *self.notes]
        for section in self.sections:
            lines.append(section.heading)
            lines += [f"{p.label} {p.text}".strip() for p in section.paragraphs]
        lines += [f"[{f.n}] {f.text}" for f in self.footnotes]
        lines += [f"{m.label}: {m.why}" for m in self.missing]
        return "\n".join(line for line in lines if line)
