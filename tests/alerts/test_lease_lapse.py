"""Several workers (on several hosts) share the outbox: a run sends a row only while its claim
holds, so a row whose lease ran out before its turn is left to the run that took it since."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from vigil.alerts.delivery import LEASE, DeliveryReport, _deliver_one, claim, deliver_due
from vigil.alerts.models import Outbox

from .conftest import FICTIONAL_NAME, fictional_row, make_user, write_rows

pytestmark = pytest.mark.django_db


def test_a_row_whose_lease_ran_out_before_its_turn_is_left_to_the_run_that_took_it(
    tmp_path, smtp_server
):
    make_user("fictional-importer", "documenter")
    make_user("fictional-watcher", "coordinator", "watcher@example.org")
    call_command(
        "import",
        "viasna",
        str(write_rows(tmp_path / "v1.csv", [fictional_row()])),
        acting_user="fictional-importer",
    )
    call_command("watch", "add", FICTIONAL_NAME, acting_user="fictional-watcher")
    call_command(
        "import",
        "viasna",
        str(write_rows(tmp_path / "v2.csv", [fictional_row(release_date="2024-01-01")])),
        acting_user="fictional-importer",
    )
    now = timezone.now()
    slow, ids = claim(now, lease=timedelta(seconds=1))  # run A: claims, then is slow
    assert len(ids) == 1
    later = now + timedelta(seconds=2)
    assert deliver_due(now=later).sent == 1  # run B (another host) takes the lapsed row
    report = DeliveryReport()
    _deliver_one(Outbox.objects.get(pk=ids[0]), slow, report, LEASE, later)  # A's turn
    assert report.lapsed == 1 and report.sent == 0
    assert len(smtp_server.messages) == 1  # sent once, by B
