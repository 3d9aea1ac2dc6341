"""Every export's audit entry carries the signed anchor of the audit head before it."""

from __future__ import annotations

import pyrage
import pytest
from django.test import override_settings

from tests.conftest import stepped_up
from vigil.audit import audit
from vigil.audit.anchors import logged_anchors
from vigil.audit.models import AuditEntry
from vigil.audit.verify import verify_log
from vigil.policy.export import export
from vigil.records.models import Person

from . import factories as f

pytestmark = pytest.mark.django_db

RECIPIENT = str(pyrage.x25519.Identity.generate().to_public())


@override_settings(VIGIL_EXPORT_RECIPIENTS=[RECIPIENT])
def test_req28_policy_export_entry_carries_the_anchor_of_the_head_before_it(ctx, users):
    f.person("internal", "Fictional Internal")
    audit("identity_read", field="last_name")
    analyst = users["analyst"]
    request = stepped_up(analyst)
    export(analyst, Person.objects.all(), ["id", "display_name"], "csv", request=request)
    entry = AuditEntry.objects.get(event="export")
    before = AuditEntry.objects.get(seq=entry.seq - 1)
    anchor = entry.meta["anchor"]
    assert (anchor["size"], anchor["head"]) == (before.seq, before.entry_hash)
    assert [a.size for a in logged_anchors()] == [before.seq]
    assert logged_anchors()[0].signature_ok()
    assert verify_log().anchors == 1
