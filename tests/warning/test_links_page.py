"""The cross-source links page: an analyst confirms an offered link (on a record of its own,
apart from the planted record the other page tests share)."""

from __future__ import annotations

import pytest
from django.test import Client

from vigil.accounts.testing import login_verified
from vigil.warning.models import CrossSourceLink

pytestmark = pytest.mark.django_db


def test_links_page_confirms_an_offer(risk_users):
    from tests.warning.test_scores import _linked_pair
    from vigil.warning.links import refresh_offers

    analyst = risk_users["analyst"]
    _linked_pair(analyst)
    refresh_offers(analyst)
    link = CrossSourceLink.objects.get()
    client = login_verified(Client(), analyst)
    page = client.get("/risk/links/").content.decode()
    assert "Symon FIKTYUNY" in page
    client.post("/risk/links/", {"link": str(link.pk), "decision": "confirmed"})
    link.refresh_from_db()
    assert link.status == "confirmed" and link.decided_by == analyst
