"""Drafts for the seed person Ales Bialiatski; synthetic persons refused; CLI and downloads."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.management import call_command

from vigil.accounts.testing import login_verified
from vigil.core.context import change_context
from vigil.core.errors import ValidationFailed
from vigil.outputs.management.commands.report import Command
from vigil.outputs.services import build_draft
from vigil.records.models import Person

READER = "reported only in a reader's comment"


def _paragraphs_with(draft, needle):  # type: ignore[no-untyped-def]
    return [p for s in draft.sections for p in s.paragraphs if needle in p.text]


def test_forty_minute_trial_is_marked_as_a_readers_comment(bialiatski, analyst):
    draft = build_draft(analyst, "wgad", bialiatski)
    found = _paragraphs_with(draft, "40 minutes")
    assert found
    for p in found:
        assert READER in p.text
        refs = [n for r in p.runs for n in r.refs]
        assert refs and all(draft.footnotes[n - 1].claim_kind == READER for n in refs)


def test_charge_known_only_from_a_readers_comment_is_marked(bialiatski, analyst):
    draft = build_draft(analyst, "brief", bialiatski)
    (charge,) = [p for p in draft.sections if p.heading == "Charges"][0].paragraphs
    assert "Part 2 of Art. 243 CC" in charge.text and READER in charge.text


def test_article_claims_carry_no_readers_comment_mark(bialiatski, analyst):
    draft = build_draft(analyst, "wgad", bialiatski)
    (arrest,) = [p for p in _paragraphs_with(draft, "4 August 2011 (arrest)")][:1]
    assert READER not in arrest.text
    assert all(draft.footnotes[n - 1].claim_kind == "" for r in arrest.runs for n in r.refs)


def test_rejected_lawyer_claim_is_not_restated(bialiatski, analyst):
    text = build_draft(analyst, "wgad", bialiatski).text
    assert "Human rights defenders" in text
    assert "Lawyers (advocates)" not in text


def test_brief_lists_interventions_and_perpetrators(bialiatski, analyst):
    draft = build_draft(analyst, "brief", bialiatski)
    headings = {s.heading: s for s in draft.sections}
    response = " ".join(p.text for p in headings["International response so far"].paragraphs)
    assert "UN Working Group on Arbitrary Detention" in response
    perpetrators = " ".join(
        p.text for p in headings["Perpetrators and their sanctions status"].paragraphs
    )
    assert "Belarusian authorities" in perpetrators and "not screened" in perpetrators


def test_synthetic_person_is_refused(db, analyst):
    with change_context("test"):
        person = Person(display_name="Fictus Syntheticus (fictional)")
        person.is_synthetic = True
        person.save()
    for kind in ("wgad", "appeal", "brief"):
        with pytest.raises(ValidationFailed, match="synthetic"):
            build_draft(analyst, kind, person)


def test_report_command_writes_a_docx_for_a_name(bialiatski, tmp_path, analyst):
    out = tmp_path / "wgad.docx"
    call_command(
        Command(),
        "wgad",
        "Ales Bialiatski",
        "--format",
        "docx",
        "-o",
        str(out),
        acting_user=analyst.username,
    )
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(out.read_bytes())).paragraphs)
    assert "Ales Bialiatski" in text and "Missing information" in text


def test_download_requires_login_and_serves_the_draft(
    bialiatski, client, django_user_model, settings
):
    url = f"/outputs/brief/{bialiatski.pk}.docx"
    assert client.get(url).status_code == 302
    user = django_user_model.objects.create_user(
        username="fictional-reader",
        password="fictional-pass-Phrase-42",  # noqa: S106
        role="analyst",  # a viewer may not export an internal draft
    )
    login_verified(client, user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="brief-ales-bialiatski')
    assert client.get(f"/outputs/nothing/{bialiatski.pk}.pdf").status_code == 404


def test_a_draft_downloaded_from_a_russian_page_is_still_in_english(
    bialiatski, client, django_user_model
):
    from django.conf import settings as django_settings

    user = django_user_model.objects.create_user(username="fictional-ru-reader", role="analyst")
    login_verified(client, user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert client.get("/persons/").headers["Content-Language"] == "ru"
    response = client.get(f"/outputs/brief/{bialiatski.pk}.docx")
    assert response.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "Prepared from the Vigil record" in text
    # Dates follow the document's language, not the page's.
    assert not any(month in text for month in ("ноября", "ноябрь", "лістапада"))
