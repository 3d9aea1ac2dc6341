"""Stored lists on the web: upload, choose the columns, link, review side by side, estimate."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.counting.test_stored_estimates import fictional_lists
from vigil.accounts.testing import login_verified
from vigil.audit.models import AuditEntry
from vigil.core.context import change_context
from vigil.counting.link_runs import run_link
from vigil.counting.list_import import parse_mapping
from vigil.counting.models import LinkDecision, LinkPair, ListRow, PersonList, StoredEstimate
from vigil.counting.stored_lists import add_list, parse_date

pytestmark = pytest.mark.django_db

PARTNER = (
    "№;ФИО;Дата рождения\n"
    "7;Fictional Ales KALOMIR;1971-03-12\n"
    "8;Fictional Volha ZANTU;12.04.1985\n"
)


@pytest.fixture
def analyst(django_user_model, password):  # type: ignore[no-untyped-def]
    return django_user_model.objects.create_user(
        username="fictional-analyst", password=password, role="analyst"
    )


@pytest.fixture
def analyst_client(analyst):  # type: ignore[no-untyped-def]
    client = Client()
    login_verified(client, analyst)
    return client


@pytest.fixture
def run(tmp_path, analyst):  # type: ignore[no-untyped-def]
    with change_context("test", actor=analyst):
        lists = [
            add_list(analyst, p.stem, parse_date("2026-11-01"), p.read_text(),
                     parse_mapping("id=id,name=name,birth_date=birth_date")).list
            for p in fictional_lists(tmp_path)
        ]
        return run_link(analyst, lists)


def _upload(client, text: str, name: str = "Fictional partner list"):  # type: ignore[no-untyped-def]
    file = SimpleUploadedFile("partner.csv", text.encode(), content_type="text/csv")
    return client.post("/lists/upload/", {"name": name, "as_of": "2026-11-02", "file": file})


def test_an_upload_shows_the_header_then_stores_the_rows_under_the_chosen_mapping(
    analyst_client,
):
    response = _upload(analyst_client, PARTNER)
    plist = PersonList.all_objects.get()
    assert response.status_code == 302 and response.url == f"/lists/{plist.pk}/map/"
    page = analyst_client.get(response.url).content.decode()
    assert "<code>ФИО</code>" in page and "<code>Дата рождения</code>" in page
    assert '<option value="ФИО" selected>' in page  # guessed from the header
    response = analyst_client.post(response.url, {"id": "№", "name": "ФИО",
                                                  "birth_date": "Дата рождения"})
    assert response.status_code == 302
    plist.refresh_from_db()
    assert plist.status == "ready" and plist.row_count == 2 and plist.pending is None
    page = analyst_client.get(f"/lists/{plist.pk}/").content.decode()
    assert "Fictional Volha ZANTU" in page and "12.04.1985" in page


def test_a_mapping_with_bad_rows_shows_each_line_and_stores_nothing(analyst_client):
    _upload(analyst_client, PARTNER + "9;;1970\n10;Fictional X;someday\n")
    plist = PersonList.all_objects.get()
    response = analyst_client.post(f"/lists/{plist.pk}/map/", {"name": "ФИО",
                                                              "birth_date": "Дата рождения"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "line 4: the name is empty" in page
    assert "line 5: birth_date &#x27;someday&#x27; is not a date" in page
    assert not ListRow.objects.exists()


def test_a_viewer_may_not_upload_nor_see_a_restricted_list(viewer_client, run):
    response = _upload(viewer_client, PARTNER)
    assert response.status_code == 403
    assert "ours" not in viewer_client.get("/lists/").content.decode()
    plist = PersonList.objects.first()
    assert viewer_client.get(f"/lists/{plist.pk}/").status_code == 404
    assert viewer_client.get(f"/lists/runs/{run.pk}/").status_code == 404


def test_the_run_page_shows_pairs_side_by_side_and_decisions_are_stored(analyst_client, run):
    page = analyst_client.get(f"/lists/runs/{run.pk}/").content.decode()
    assert "Blocking recall" in page and 'class="upset__bar"' in page
    assert "Persons on more than one list" in page
    pair = LinkPair.objects.filter(run=run, match=False).first() or run.pairs.first()
    response = analyst_client.post(f"/lists/pairs/{pair.pk}/decide/", {"decision": "same"})
    assert response.status_code == 302
    assert LinkPair.objects.get(pk=pair.pk).decision == "same"
    page = analyst_client.get(f"/lists/runs/{run.pk}/").content.decode()
    assert "Undo the decision" in page
    analyst_client.post(f"/lists/pairs/{pair.pk}/decide/", {"decision": "undo"})
    assert LinkPair.objects.get(pk=pair.pk).decision == "pending"
    assert LinkDecision.objects.filter(pair=pair).count() == 2
    assert AuditEntry.objects.filter(event="link_decision").count() == 2


def test_a_viewer_may_not_decide(viewer_client, run, viewer):
    pair = run.pairs.first()
    response = viewer_client.post(f"/lists/pairs/{pair.pk}/decide/", {"decision": "same"})
    assert response.status_code == 404
    assert not LinkDecision.objects.exists()


@pytest.mark.slow  # ~1.2 s a run on a quiet 2-core machine
def test_the_estimate_from_stored_lists_lands_on_how_many_with_its_command(analyst_client, run):
    response = analyst_client.post(f"/lists/runs/{run.pk}/estimate/", {
        "label": "Fictional lists estimate", "category": "detained", "period": "2026"})
    assert response.status_code == 302 and response.url == "/how-many/#hm-detained"
    row = StoredEstimate.objects.get()
    assert row.command.startswith(f"vigil lists estimate {run.pk} --method loglinear --seed ")
    page = analyst_client.get("/how-many/").content.decode()
    assert "Fictional lists estimate" in page and row.command in page
    assert "Start from stored lists" in page and "Link these lists" in page


def test_the_how_many_page_links_the_chosen_lists(analyst_client, run):
    ids = [str(p.pk) for p in PersonList.objects.all()[:2]]
    response = analyst_client.post("/lists/link/", {"lists": ids, "back": "how_many"})
    assert response.status_code == 302 and response.url.startswith("/lists/runs/")
    response = analyst_client.post("/lists/link/", {"lists": ids[:1], "back": "how_many"})
    assert response.url == "/how-many/"


def test_a_file_over_the_limit_is_refused_with_a_message_and_nothing_kept(
    analyst_client, monkeypatch
):
    from vigil.web import person_lists

    monkeypatch.setattr(person_lists, "MAX_UPLOAD_MB", 0.0001)  # about 100 bytes
    response = _upload(analyst_client, PARTNER * 5)
    assert response.status_code == 302 and response.url == "/lists/"
    page = analyst_client.get("/lists/").content.decode()
    assert "The file is larger than" in page
    assert not PersonList.all_objects.exists()


def test_a_russian_page_takes_the_list_date_in_its_own_form(analyst, analyst_client):
    analyst.language = "ru"
    analyst.save(update_fields=["language"])
    file = SimpleUploadedFile("partner.csv", PARTNER.encode(), content_type="text/csv")
    analyst_client.post(
        "/lists/upload/", {"name": "Fictional dotted", "as_of": "02.11.2026", "file": file}
    )
    assert str(PersonList.objects.get(name="Fictional dotted").as_of) == "2026-11-02"
    file = SimpleUploadedFile("partner.csv", PARTNER.encode(), content_type="text/csv")
    refused = analyst_client.post(
        "/lists/upload/", {"name": "Fictional slashed", "as_of": "11/02/2026", "file": file},
        follow=True,
    )
    assert "запишите её как дд.мм.гггг" in refused.content.decode()
    assert not PersonList.objects.filter(name="Fictional slashed").exists()
