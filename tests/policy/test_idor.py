"""IDOR sweep: for every governed model and every action, another user's objects stay hidden."""

from __future__ import annotations

import pytest

from tests.conftest import as_user
from vigil.policy.access import restrict
from vigil.policy.registry import record_models
from vigil.policy.rules import ACTIONS

from . import factories as f

pytestmark = pytest.mark.django_db

OUTSIDERS = ("viewer", "colleague", "analyst", "coordinator")


def test_req11_every_governed_record_model_has_a_factory():
    labels = {m._meta.label_lower for m in record_models()}
    assert labels == set(f.FACTORIES)


@pytest.mark.parametrize("label", sorted(f.FACTORIES))
def test_req11_idor_secret_record_of_another_user_is_not_returned(label, users):
    with as_user(users["documenter"]):
        obj = f.FACTORIES[label]("secret")
    model = type(obj)
    for outsider in OUTSIDERS:
        for action in ACTIONS:
            by_id = restrict(users[outsider], action, model.objects.filter(pk=obj.pk))
            assert not by_id.exists(), (outsider, action)
    owner = restrict(users["documenter"], "view", model.objects.filter(pk=obj.pk))
    assert owner.exists()


@pytest.mark.parametrize("label", sorted(f.FACTORIES))
def test_req11_idor_colleague_cannot_write_another_documenters_record(label, users):
    with as_user(users["documenter"]):
        obj = f.FACTORIES[label]("internal")
    model = type(obj)
    for action in ("add", "change", "delete", "reveal_identity", "export", "grant"):
        assert not restrict(users["colleague"], action, model.objects.filter(pk=obj.pk)).exists()
    # A colleague reads internal records; a model that raises itself to restricted (grant
    # beneficiaries) stays hidden from them.
    visible = restrict(users["colleague"], "view", model.objects.filter(pk=obj.pk)).exists()
    assert visible == (obj.confidentiality in {"public", "internal"})
