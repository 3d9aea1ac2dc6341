import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils import translation

from vigil.accounts.models import User
from vigil.accounts.testing import login_verified
from vigil.core.context import change_context
from vigil.core.models import Version
from vigil.records.models import Term
from vigil.sanctions.labels import LIST_LABELS, local_date
from vigil.sanctions.models import ScreeningMatch
from vigil.sanctions.screening import screen

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_client(client, record_with_eu_list):
    with change_context("test"):
        screen()
        user, _ = User.objects.get_or_create(
            username="fictional-analyst", defaults={"role": "analyst"}
        )
    return login_verified(client, user)


def test_gap_page_shows_lists_and_perpetrators_with_their_state(analyst_client):
    html = analyst_client.get("/sanctions/gap/").content.decode()
    assert "EU Belarus list (Reg. 765/2006)" in html and "Maryna Zapasnik" in html
    assert "awaiting review" in html
    assert "not sanctioned" not in html


@pytest.mark.slow  # ~2.5 s a run on a quiet 2-core machine
def test_gap_downloads_are_attachments(analyst_client):
    csv = analyst_client.get("/sanctions/gap.csv")
    assert csv["Content-Disposition"].startswith("attachment")
    assert "Maryna Zapasnik" in csv.content.decode()
    pdf = analyst_client.get("/sanctions/gap.pdf")
    assert pdf.content.startswith(b"%PDF")


def test_an_analyst_confirms_a_candidate_and_the_gap_says_listed(analyst_client):
    match = ScreeningMatch.objects.get(
        person__display_name="Maryna Zapasnik", listed_entity__entity_id="I.A/102"
    )
    response = analyst_client.post(
        f"/sanctions/review/{match.pk}/decide/",
        {"decision": "confirmed", "note": "court matches", "confirm": "yes"},
    )
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.decision == "confirmed" and match.reviewed_by.username == "fictional-analyst"
    html = analyst_client.get("/sanctions/gap/").content.decode()
    assert "listed as I.A/102" in html


def test_a_viewer_cannot_decide(client, record_with_eu_list):
    with change_context("test"):
        screen()
        viewer = User.objects.create_user(
            "fictional-viewer", password="a long fictional passphrase", role="viewer"
        )
    login_verified(client, viewer)
    match = ScreeningMatch.objects.filter(decision="pending").first()
    response = client.post(f"/sanctions/review/{match.pk}/decide/", {"decision": "confirmed"})
    assert response.status_code in {403, 404}
    match.refresh_from_db()
    assert match.decision == "pending"


def test_review_list_needs_sign_in(client):
    assert client.get("/sanctions/review/").status_code == 302


# Codes that must never reach a person's eyes on the sanctions pages (identifiers in CSV only).
RAW_CODES = re.compile(
    r"\b(eu-765|ofac-sdn|Latn|Cyrl|Zyyy)\b"  # list and script codes
    r"|\b[a-z]+_[a-z_]+\b"  # any snake_case key: presiding_judge, appeal_decision, not_found
    r"|\b[0-9a-f]{8}\b"  # a short record id
)


class _Text(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def _zapasnik_match():
    return ScreeningMatch.objects.get(
        person__display_name="Maryna Zapasnik", listed_entity__entity_id="I.A/102"
    )


@pytest.mark.parametrize("lang", ["en", "be", "ru"])
def test_sanctions_pages_show_labels_never_raw_codes(analyst_client, lang):
    match = _zapasnik_match()
    analyst_client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    pages = [
        "/sanctions/gap/",
        "/sanctions/review/",
        f"/sanctions/review/{match.pk}/decide/?decision=confirmed",
    ]
    for path in pages:
        response = analyst_client.get(path)
        assert response.status_code == 200, path
        text = visible_text(response.content.decode())
        found = RAW_CODES.search(text)
        assert found is None, f"{path} ({lang}) shows the code {found.group(0)!r}"
    with translation.override(lang):
        label = str(LIST_LABELS["eu-765"])
    assert label in visible_text(analyst_client.get("/sanctions/gap/").content.decode())


@pytest.mark.parametrize(
    ("lang", "eu", "uk"), [("be", "ЕС", "Вялікабрытанія"), ("ru", "ЕС", "Великобритания")]
)
def test_the_gap_page_names_the_issuers_in_the_page_language(analyst_client, lang, eu, uk):
    analyst_client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    text = visible_text(analyst_client.get("/sanctions/gap/").content.decode())
    assert f" {eu} " in f" {text} " and uk in text
    # The issuer codes never show as words of their own (list labels may contain them).
    assert not re.search(r"(?<![\w.])(EU|UK|US)(?![\w.])", text), text


def test_the_gap_report_html_for_print_shows_labels(analyst_client):
    from vigil.sanctions.gap import gap_report
    from vigil.sanctions.reports import gap_html

    user = User.objects.get(username="fictional-analyst")
    text = visible_text(gap_html(gap_report(user), for_pdf=True))
    assert "EU Belarus list (Reg. 765/2006)" in text
    found = RAW_CODES.search(text)
    assert found is None, found and found.group(0)


def test_the_review_page_shows_both_sides_of_a_candidate(analyst_client):
    match = _zapasnik_match()
    entity = match.listed_entity
    html = analyst_client.get(f"/sanctions/review/?match={match.pk}", follow=True)
    html = html.content.decode()
    card = html[html.index(f'id="match-{match.pk}"') :]
    card = card[: card.index("</article>")]
    text = visible_text(card)
    # The record's side: the role, the acts the judge took part in.
    assert "Roles Judge" in " ".join(text.split())
    assert Term.objects.get(pk="act_type.sentence").label() in text
    assert "Viktar Barushka" in text  # a victim the judge sentenced, as the record says
    # The list's side: birth date, position, listing reason, programme, listing date.
    assert entity.reason[:60] in text
    assert "EU Belarus list (Reg. 765/2006)" in text
    assert "Listed since" in text and local_date(entity.listing_date) in text
    assert "EU-BLR" in text and "765/2006" in text
    for birth in entity.birth_dates:
        assert local_date(birth) in text
    assert "Same person…" in text and "Different person…" in text


def test_a_decision_needs_its_confirmation_step(analyst_client):
    match = _zapasnik_match()
    url = f"/sanctions/review/{match.pk}/decide/"
    page = analyst_client.get(url + "?decision=confirmed")
    assert page.status_code == 200
    assert "Yes, the same person" in page.content.decode()
    # Neither the confirmation page nor a POST without the confirmation decides.
    analyst_client.post(url, {"decision": "confirmed"})
    match.refresh_from_db()
    assert match.decision == "pending"
    analyst_client.post(url, {"decision": "confirmed", "confirm": "yes"})
    match.refresh_from_db()
    assert match.decision == "confirmed"


def test_undoing_a_decision_puts_it_back_to_review_with_history_and_audit(analyst_client):
    from vigil.audit.models import AuditEntry

    match = _zapasnik_match()
    analyst_client.post(
        f"/sanctions/review/{match.pk}/decide/", {"decision": "rejected", "confirm": "yes"}
    )
    match.refresh_from_db()
    assert match.decision == "rejected"
    decided = analyst_client.get("/sanctions/review/").content.decode()
    assert f"/sanctions/review/{match.pk}/undo/" in decided
    response = analyst_client.post(f"/sanctions/review/{match.pk}/undo/")
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.decision == "pending"
    assert match.reviewed_by.username == "fictional-analyst"
    versions = Version.objects.filter(object_id=match.pk).order_by("version")
    assert [v.version for v in versions][-2:] == [match.version - 1, match.version]
    entries = AuditEntry.objects.filter(event="screening_decision", object_id=str(match.pk))
    assert sorted(e.meta.get("decision") for e in entries) == ["pending", "rejected"]
    # Nothing left to undo: refused, not an error page.
    again = analyst_client.post(f"/sanctions/review/{match.pk}/undo/", follow=True)
    assert "nothing to undo" in again.content.decode()


def test_a_viewer_cannot_undo(client, analyst_client):
    match = _zapasnik_match()
    analyst_client.post(
        f"/sanctions/review/{match.pk}/decide/", {"decision": "confirmed", "confirm": "yes"}
    )
    with change_context("test"):
        viewer = User.objects.create_user(
            "fictional-viewer", password="a long fictional passphrase", role="viewer"
        )
    from django.test import Client

    viewer_client = login_verified(Client(), viewer)
    response = viewer_client.post(f"/sanctions/review/{match.pk}/undo/")
    assert response.status_code in {403, 404}
    match.refresh_from_db()
    assert match.decision == "confirmed"


def test_a_screening_decision_in_the_history_reads_as_a_sentence(analyst_client):
    match = _zapasnik_match()
    analyst_client.post(
        f"/sanctions/review/{match.pk}/decide/", {"decision": "confirmed", "confirm": "yes"}
    )
    text = " ".join(visible_text(analyst_client.get("/").content.decode()).split())
    assert (
        "Screening of Maryna Zapasnik against the EU Belarus list (Reg. 765/2006), entry I.A/102"
        in text
    )
    assert str(match.pk)[:8] not in text
    assert " cli " not in text and " web · fictional-analyst" in text


@pytest.mark.parametrize("lang", ["en", "be"])
def test_the_dossier_shows_labels_never_raw_codes(analyst_client, lang):
    from django.template.loader import render_to_string

    from vigil.records.models import Person
    from vigil.sanctions.reports import dossier_context

    user = User.objects.get(username="fictional-analyst")
    person = Person.objects.get(display_name="Maryna Zapasnik")
    with translation.override(lang):
        context = dossier_context(user, person)
        html = render_to_string("sanctions/dossier.html", {**context, "document_language": lang})
        label = str(LIST_LABELS["eu-765"])
    text = visible_text(html)
    assert label in text
    found = RAW_CODES.search(text)
    assert found is None, found and found.group(0)


def _pending_ids(html: str) -> list[str]:
    return re.findall(r'<article class="card candidate" id="match-([^"]+)"', html)


def test_the_review_queue_comes_a_page_at_a_time_and_shows_every_candidate_once(
    analyst_client, monkeypatch
):
    from vigil.sanctions import review

    pending = ScreeningMatch.objects.filter(decision="pending")
    total = pending.count()
    assert total >= 3, "the real sample gives several candidates"
    monkeypatch.setattr(review, "PAGE_SIZE", 2)
    first = analyst_client.get("/sanctions/review/").content.decode()
    assert f"{total} candidates await review" in first and "(showing 1–2)" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    seen: list[str] = []
    pages = (total + 1) // 2
    for number in range(1, pages + 1):
        html = analyst_client.get(f"/sanctions/review/?page={number}").content.decode()
        ids = _pending_ids(html)
        assert len(ids) == (2 if number < pages else total - 2 * (pages - 1))
        seen += ids
    assert sorted(seen) == sorted(str(pk) for pk in pending.values_list("pk", flat=True))
    scores = {str(pk): score for pk, score in pending.values_list("pk", "score")}
    ordered = [scores[pk] for pk in seen]
    assert ordered == sorted(ordered, reverse=True)  # best score first, across pages
    # Not a page number: the nearest page, never an error.
    assert analyst_client.get("/sanctions/review/?page=zz").status_code == 200
    assert _pending_ids(analyst_client.get("/sanctions/review/?page=999").content.decode())


def test_a_gap_page_link_opens_the_review_page_that_shows_its_candidate(
    analyst_client, monkeypatch
):
    from vigil.sanctions import review

    monkeypatch.setattr(review, "PAGE_SIZE", 1)
    last = (
        ScreeningMatch.objects.filter(decision="pending").order_by("score", "-pk").first()
    )  # the last card of the queue
    gap = analyst_client.get("/sanctions/gap/").content.decode()
    assert "/sanctions/review/?match=" in gap and "/sanctions/review/#match-" not in gap
    response = analyst_client.get(f"/sanctions/review/?match={last.pk}")
    assert response.status_code == 302
    number = ScreeningMatch.objects.filter(decision="pending").count()
    assert response["Location"] == f"/sanctions/review/?page={number}#match-{last.pk}"
    html = analyst_client.get(f"/sanctions/review/?page={number}").content.decode()
    assert _pending_ids(html) == [str(last.pk)]
    # Decided, unknown or malformed: back to the queue with a message, never an error.
    analyst_client.post(
        f"/sanctions/review/{last.pk}/decide/", {"decision": "rejected", "confirm": "yes"}
    )
    for wanted in (last.pk, "not-an-id", "00000000-0000-0000-0000-000000000000"):
        followed = analyst_client.get(f"/sanctions/review/?match={wanted}", follow=True)
        assert followed.status_code == 200
        assert "That candidate no longer awaits review." in followed.content.decode()


def test_the_gap_page_and_the_review_queue_count_the_same_candidates(analyst_client):
    from vigil.sanctions import review

    gap = analyst_client.get("/sanctions/gap/").content.decode()
    queue = analyst_client.get("/sanctions/review/").content.decode()
    user = User.objects.get(username="fictional-analyst")
    n = review.pending_count(user)
    assert n == ScreeningMatch.objects.filter(decision="pending").count()
    phrase = f"{n} candidates await review"
    assert phrase in gap and phrase in queue
