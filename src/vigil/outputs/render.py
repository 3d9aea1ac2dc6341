"""Render a draft to PDF (WeasyPrint, through an HTML template) or DOCX (python-docx)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.template import Context, Engine

from vigil.core.errors import ValidationFailed
from vigil.outputs.document import Draft, Paragraph

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
TEMPLATE = "outputs/draft.html"


@cache
def _engine() -> Engine:
    # A private engine: the drafts render the same whether or not the app is installed.
    return Engine(
        dirs=[str(Path(__file__).parent / "templates")],
        autoescape=True,
        libraries={"i18n": "django.templatetags.i18n"},  # the template is translated
    )


def draft_html(draft: Draft) -> str:
    """The draft as a self-contained HTML page (the PDF's source)."""
    template = _engine().get_template(TEMPLATE)
    return template.render(Context({"draft": draft, "compact": draft.kind == "brief"}))


@cache
def _font_config() -> object:
    """One WeasyPrint font configuration per process: fonts are looked up once, not per PDF."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def draft_pdf(draft: Draft) -> bytes:
    """The draft as PDF; fonts cover Cyrillic and nothing is fetched from the network."""
    from weasyprint import HTML

    return bytes(HTML(string=draft_html(draft)).write_pdf(font_config=_font_config()))


def draft_docx(draft: Draft) -> bytes:
    """The draft as a Word document, footnote numbers pointing at a "Sources" list."""
    from docx import Document
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    doc.styles["Normal"].font.name = "DejaVu Sans"
    doc.styles["Normal"].font.size = Pt(9.5 if draft.kind != "brief" else 8.5)
    doc.styles["Normal"].paragraph_format.space_after = Pt(3)
    if draft.kind == "brief":
        for page in doc.sections:  # Word's page sections, not the draft's
            page.top_margin = page.bottom_margin = Cm(1.2)
            page.left_margin = page.right_margin = Cm(1.4)
    doc.core_properties.title = draft.title
    doc.add_heading(draft.title, level=1)
    if draft.subtitle:
        doc.add_paragraph(draft.subtitle, style="Subtitle")
    for note in draft.notes:
        para = doc.add_paragraph()
        run = para.add_run(note)
        run.italic = True
        run.font.size = Pt(8)
    for section in draft.sections:
        doc.add_heading(section.heading, level=2)
        for paragraph in section.paragraphs:
            _paragraph(doc.add_paragraph(), paragraph, RGBColor(0x8A, 0x1C, 0x00))
    if draft.missing:
        doc.add_heading("Missing information", level=2)
        doc.add_paragraph(
            "The record does not hold these; the drafter completes them "
            "(nothing was filled in for them)."
        )
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, ("field", "form field id", "required", "why missing"), strict=True
        ):
            cell.text = text
        for m in draft.missing:
            cells = table.add_row().cells
            cells[0].text = m.label
            cells[1].text = m.field_id
            cells[2].text = "required" if m.required else "recommended"
            cells[3].text = m.why
    doc.add_heading("Sources", level=2)
    if not draft.footnotes:
        doc.add_paragraph("No source is cited.")
    for f in draft.footnotes:
        para = doc.add_paragraph()
        para.add_run(f"[{f.n}] ").bold = True
        para.add_run(f.short_text if draft.kind == "brief" else f.text).font.size = Pt(8)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _paragraph(target: object, paragraph: Paragraph, missing_colour: object) -> None:
    if paragraph.label:
        target.add_run(f"{paragraph.label}: ").bold = True  # type: ignore[attr-defined]
    for run in paragraph.runs:
        piece = target.add_run(run.text)  # type: ignore[attr-defined]
        if run.placeholder:
            piece.italic = True
            piece.font.color.rgb = missing_colour
        if run.refs:
            ref = target.add_run("".join(f"[{n}]" for n in run.refs))  # type: ignore[attr-defined]
            ref.font.superscript = True


def render(draft: Draft, fmt: str) -> bytes:
    """The draft in ``fmt`` ("pdf" or "docx")."""
    if fmt == "pdf":
        return draft_pdf(draft)
    if fmt == "docx":
        return draft_docx(draft)
    raise ValueError(f"unknown format {fmt!r}")


@dataclass(frozen=True)
class RenderedFile:
    """A rendered draft or report, with a file name safe to offer for download."""

    content: bytes
    filename: str
    content_type: str
    draft: Draft


def rendered_file(
    build: Callable[[], Draft], fmt: str, *, prefix: str, title: str, pk: object, fallback: str
) -> RenderedFile:
    """Check ``fmt`` before the (costly) ``build``, render, and name the file.

    The name is ``<prefix>-<title as ASCII slug, at most 60 characters>-<first 8 of pk>.<fmt>``;
    a title with no ASCII letter or digit gives ``fallback`` instead.
    """
    if fmt not in FORMATS:
        raise ValidationFailed(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    draft = build()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60].strip("-") or fallback
    filename = f"{prefix}-{slug}-{str(pk)[:8]}.{fmt}"
    return RenderedFile(render(draft, fmt), filename, FORMATS[fmt], draft)
