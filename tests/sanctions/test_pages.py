import pytest

from vigil.accounts.models import User
from vigil.accounts.testing import login_verified
from vigil.core.context import change_context
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
    assert "eu-765" in html and "Maryna Zapasnik" in html
    assert "awaiting review" in html
    assert "not sanctioned" not in html


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
        f"/sanctions/review/{match.pk}/decide/", {"decision": "confirmed", "note": "court matches"}
    )
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.decision == "confirmed" and match.reviewed_by.username == "fictional-analyst"
    html = analyst_client.get("/sanctions/gap/").content.decode()
    assert "listed on eu-765 (version 2026-07-17) as I.A/102" in html


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
