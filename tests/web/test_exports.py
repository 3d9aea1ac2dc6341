"""Export of a list's current view: published rows download plainly, anything else is bulk."""

from __future__ import annotations

import csv
import io

import pyrage
import pytest
from django.test import override_settings
from openpyxl import load_workbook

from vigil.accounts import sessions
from vigil.audit.models import AuditEntry
from vigil.core.context import change_context
from vigil.records.models import Person

pytestmark = pytest.mark.django_db

IDENTITY = pyrage.x25519.Identity.generate()
RECIPIENT = str(IDENTITY.to_public())


@pytest.fixture
def published_persons(db):  # type: ignore[no-untyped-def]
    with change_context("test"):
        for name in ("Publica Prima", "Publica Secunda"):
            Person.objects.create(display_name=name, confidentiality="public")
        Person.objects.create(display_name="Interna Tertia")


def _export(client, name: str, view: str, fmt: str):  # type: ignore[no-untyped-def]
    return client.post(f"/{name}/export/", {"view": view, "format": fmt})


def test_a_view_of_published_rows_downloads_plain_csv_and_xlsx(viewer_client, published_persons):
    response = _export(viewer_client, "persons", "q=publica&sort=-name", "csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["display_name"] for r in rows] == ["Publica Secunda", "Publica Prima"]
    assert "X-Vigil-Export" in response and "encrypted=0" in response["X-Vigil-Export"]
    xlsx = _export(viewer_client, "persons", "q=publica", "xlsx")
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["Publica Prima", "Publica Secunda"]


@override_settings(VIGIL_EXPORT_RECIPIENTS=[RECIPIENT])
def test_a_view_with_unpublished_rows_is_an_encrypted_audited_bulk_export(
    admin_client, published_persons
):
    before = AuditEntry.objects.filter(event="export").count()
    response = _export(admin_client, "persons", "", "csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv.age"')
    assert b"Interna Tertia" not in response.content
    plain = pyrage.decrypt(response.content, [IDENTITY]).decode()
    assert "Interna Tertia" in plain and "Publica Prima" in plain
    assert AuditEntry.objects.filter(event="export").count() == before + 1


@override_settings(VIGIL_EXPORT_RECIPIENTS=[RECIPIENT])
def test_a_bulk_export_without_a_recent_second_factor_asks_for_step_up(
    admin_client, published_persons
):
    session = admin_client.session
    session[sessions.VERIFIED_AT] = sessions.now() - 3600
    session.save()
    response = _export(admin_client, "persons", "custody=unknown", "csv")
    assert response.status_code == 302
    assert "/accounts/step-up/" in response["Location"]
    assert "custody%3Dunknown" in response["Location"]  # back to the same view afterwards


@override_settings(VIGIL_EXPORT_RECIPIENTS=[])
def test_a_bulk_export_with_no_recipients_is_refused_with_a_message(
    admin_client, published_persons
):
    response = _export(admin_client, "persons", "", "csv")
    assert response.status_code == 302
    page = admin_client.get(response["Location"]).content.decode()
    assert "VIGIL_EXPORT_RECIPIENTS" in page


@override_settings(VIGIL_EXPORT_RECIPIENTS=[RECIPIENT])
def test_xlsx_of_unpublished_rows_is_an_encrypted_audited_workbook(admin_client, published_persons):
    before = AuditEntry.objects.filter(event="export").count()
    response = _export(admin_client, "persons", "", "xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx.age"')
    sheet = load_workbook(io.BytesIO(pyrage.decrypt(response.content, [IDENTITY]))).active
    names = sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == ["Interna Tertia", "Publica Prima", "Publica Secunda"]
    assert AuditEntry.objects.filter(event="export", meta__format="xlsx").count() == 1
    assert AuditEntry.objects.filter(event="export").count() == before + 1


def test_export_is_a_post_only(viewer_client, published_persons):
    assert viewer_client.get("/persons/export/").status_code == 405
