import datetime as dt

from django.urls import reverse

from tests.record_acts import act_of
from vigil.responses.coding import suggest
from vigil.responses.forums import record_position
from vigil.responses.interventions import add_beneficiary, create_intervention, record_response
from vigil.responses.models import ViolationCoding

from .conftest import person, state

D = dt.date


def test_pages_need_a_signed_in_user(client, db):
    for name in ("responses:interventions", "responses:gap", "responses:forums"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


def test_intervention_list_and_detail_show_responses_but_not_beneficiary_names(analyst_client, ctx):
    lawyer = person("Advocata Fictiva (fictional)", "lawyer")
    appeal = create_intervention(
        "urgent_appeal",
        title="Fictional urgent appeal",
        reference="UA FIC 1/2024",
        persons=[lawyer],
    )
    record_response(appeal, "rejected", date=D(2024, 3, 1), summary="Fictional denial.")
    grant = create_intervention("protection_grant", title="Fictional protection grant")
    add_beneficiary(grant, person("Secreta Beneficiaria (fictional)"), "protection")
    listing = analyst_client.get(reverse("responses:interventions")).content.decode()
    assert "Fictional urgent appeal" in listing and "UA FIC 1/2024" in listing
    page = analyst_client.get(reverse("responses:intervention", args=[appeal.pk])).content.decode()
    assert "Fictional denial." in page and "Advocata Fictiva (fictional)" in page
    grant_page = analyst_client.get(reverse("responses:intervention", args=[grant.pk]))
    assert "Secreta Beneficiaria" not in grant_page.content.decode()
    assert "1 beneficiary recorded" in grant_page.content.decode()


def test_gap_page_names_the_detained_lawyer_and_what_is_missing(analyst_client, ctx):
    lawyer = person("Advocata Fictiva (fictional)", "lawyer")
    act_of(lawyer, "arrest", D(2023, 1, 5))
    page = analyst_client.get(reverse("responses:gap")).content.decode()
    assert "Advocata Fictiva (fictional)" in page and "no WGAD opinion" in page


def test_forums_page_lists_silent_governments_for_a_topic(analyst_client, ctx):
    record_position(state("Utopia"), "hrc", "statement", topic="lawyers")
    state("Erewhon")
    page = analyst_client.get(reverse("responses:forums"), {"topic": "lawyers"}).content.decode()
    assert "1 government has no recorded position" in page and "Erewhon" in page


def test_analyst_accepts_a_suggestion_by_post_and_history_names_the_web(
    analyst_client, analyst, ctx
):
    defender = person("Defensor Imaginarius (fictional)", "human_rights_defender")
    arrest = act_of(defender, "arrest", D(2023, 3, 3))
    coding = suggest(person=defender).created[0]
    page = analyst_client.get(reverse("responses:act-coding", args=[arrest.pk])).content.decode()
    assert "summary written for Vigil, not official text" in page and "Accept" in page
    url = reverse("responses:coding-decide", args=[coding.pk, "accept"])
    assert analyst_client.get(url).status_code == 405
    response = analyst_client.post(url)
    assert response.status_code == 302
    coding.refresh_from_db()
    assert coding.status == "accepted" and coding.decided_by == analyst


def test_viewer_cannot_decide_codings(client, django_user_model, ctx):
    from vigil.accounts.testing import login_verified

    viewer = django_user_model.objects.create_user(username="fictional-viewer", role="viewer")
    login_verified(client, viewer)
    defender = person("Defensor Imaginarius (fictional)", "human_rights_defender")
    act_of(defender, "arrest", D(2023, 3, 3))
    coding = suggest(person=defender).created[0]
    url = reverse("responses:coding-decide", args=[coding.pk, "reject"])
    assert client.post(url).status_code == 403
    assert ViolationCoding.objects.get(pk=coding.pk).status == "suggested"
