"""Every record type through the API: create, read, list, change, stale change, soft delete."""

import uuid

import pytest

from vigil.core.context import change_context
from vigil.core.models import Version
from vigil.records.models import Act as ActModel
from vigil.records.models import (
    ActCharge,
    Case,
    Counsel,
    Event,
    Information,
    Involvement,
    Organisation,
    OrganisationName,
    PersonName,
    Source,
)

MODELS = {
    "/organisations": Organisation,
    "/events": Event,
    "/cases": Case,
    "/acts": ActModel,
    "/charges": ActCharge,
    "/involvements": Involvement,
    "/counsel": Counsel,
    "/sources": Source,
    "/information": Information,
    "/person-names": PersonName,
    "/organisation-names": OrganisationName,
}


@pytest.fixture
def source(world, users):
    with change_context("test", actor=users["admin"]):
        found = Source(title="Fictional court record", url="https://example.org/fictional")
        found.save()
    return found


def create_body(path, world, source):
    """A valid new record of the type at ``path``, about the fictional world."""
    return {
        "/organisations": {
            "display_name": "Fictional District Court of Nowhere",
            "kind": "court",
            "names": [{"value": "Фіктыўны суд", "script": "Cyrl", "lang": "be"}],
        },
        "/events": {"title": "Fictional search of a fictional office", "date_text": "March 2021"},
        "/cases": {"title": "Fictional case of Fictionala", "persons": [str(world.lawyer.pk)]},
        "/acts": {
            "event": str(world.arrest.event_id),
            "act_type": "trial",
            "victim_person": str(world.lawyer.pk),
            "date_text": "2021",
        },
        "/charges": {"act": str(world.arrest.pk), "article": "342", "part": "1"},
        "/involvements": {
            "act": str(world.arrest.pk),
            "perpetrator_person": str(world.judge.pk),
            "role": "judge",
        },
        "/counsel": {"act": str(world.sentence.pk), "lawyer": str(world.judge.pk)},
        "/sources": {"title": "Fictional news item", "url": "https://example.org/news"},
        "/information": {
            "source": str(source.pk),
            "target_type": "act",
            "target_id": str(world.arrest.pk),
            "quote": "Fictional quote",
        },
        "/person-names": {
            "person": str(world.lawyer.pk),
            "value": "Фікцыянала Адвакатка",
            "script": "Cyrl",
            "lang": "be",
        },
        "/organisation-names": {
            "organisation": str(world.state_speaking.pk),
            "value": "Фіктыўная Рэспубліка",
            "script": "Cyrl",
        },
    }[path]


CHANGES = {
    "/organisations": ("notes", "Fictional note"),
    "/events": ("description", "Fictional description"),
    "/cases": ("description", "Fictional description"),
    "/acts": ("outcome", "Fictional outcome"),
    "/charges": ("text_as_written", "Fictional wording"),
    "/involvements": ("note", "Fictional note"),
    "/counsel": ("note", "Fictional note"),
    "/sources": ("notes", "Fictional note"),
    "/information": ("quote", "Another fictional quote"),
    "/person-names": ("kind", "alias"),
    "/organisation-names": ("kind", "alias"),
}

PATHS = sorted(MODELS)


@pytest.mark.parametrize("path", PATHS)
def test_documenter_creates_reads_lists_and_changes_each_type(api, world, users, source, path):
    created = api.call("POST", path, "documenter", create_body(path, world, source))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["version"] == 1
    record = MODELS[path].objects.get(pk=body["id"])
    assert record.created_by == users["documenter"]
    history = Version.objects.get(object_id=record.pk, version=1)
    assert (history.context_kind, history.actor) == ("api", users["documenter"])

    assert api.get(f"{path}/{body['id']}", role="documenter").json()["id"] == body["id"]
    listed = api.get(path, role="documenter", limit=200).json()
    assert body["id"] in {item["id"] for item in listed["items"]}

    field, value = CHANGES[path]
    changed = api.call("PATCH", f"{path}/{body['id']}", "documenter", {"version": 1, field: value})
    assert changed.status_code == 200, changed.content
    assert changed.json()["version"] == 2
    record.refresh_from_db()
    assert getattr(record, field) == value


@pytest.mark.parametrize("path", PATHS)
def test_stale_version_is_a_json_409_and_keeps_the_first_change(api, world, source, path):
    created = api.call("POST", path, "admin", create_body(path, world, source)).json()
    field, value = CHANGES[path]
    first = api.call("PATCH", f"{path}/{created['id']}", "admin", {"version": 1, field: value})
    assert first.status_code == 200
    other = "Fictional second" if field != "kind" else "nickname"
    second = api.call(
        "PATCH", f"{path}/{created['id']}", "coordinator", {"version": 1, field: other}
    )
    assert second.status_code == 409
    assert "changed by someone else" in second.json()["error"]
    assert getattr(MODELS[path].objects.get(pk=created["id"]), field) == value


@pytest.mark.parametrize("path", PATHS)
def test_soft_delete_needs_a_coordinator_a_reason_and_the_version(api, world, source, path):
    created = api.call("POST", path, "documenter", create_body(path, world, source)).json()
    target = f"{path}/{created['id']}"
    refused = api.call("DELETE", target, "documenter", {"version": 1, "reason": "Duplicate"})
    assert refused.status_code == 403
    blank = api.call("DELETE", target, "coordinator", {"version": 1, "reason": "  "})
    assert blank.status_code == 422
    assert blank.json()["detail"][0]["loc"][-1] == "reason"
    stale = api.call("DELETE", target, "coordinator", {"version": 7, "reason": "Duplicate"})
    assert stale.status_code == 409
    done = api.call(
        "DELETE", target, "coordinator", {"version": 1, "reason": "Fictional duplicate"}
    )
    assert done.status_code == 204
    assert api.get(target, role="coordinator").status_code == 404
    kept = MODELS[path].all_objects.get(pk=created["id"])
    assert kept.deletion_reason == "Fictional duplicate" and kept.deleted_at is not None


@pytest.mark.parametrize("path", PATHS)
def test_viewer_may_not_create_and_nothing_is_written(api, world, source, path):
    before = MODELS[path].all_objects.count()
    response = api.call("POST", path, "viewer", create_body(path, world, source))
    assert response.status_code == 403
    assert set(response.json()) == {"error"}
    assert MODELS[path].all_objects.count() == before


@pytest.mark.parametrize("path", PATHS)
def test_a_restricted_record_is_a_404_for_viewer_exactly_like_a_missing_one(
    api, world, source, path
):
    body = {**create_body(path, world, source), "confidentiality": "restricted"}
    created = api.call("POST", path, "admin", body)
    assert created.status_code == 201, created.content
    hidden = api.get(f"{path}/{created.json()['id']}", role="viewer")
    missing = api.get(f"{path}/{uuid.uuid4()}", role="viewer")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    listed = {item["id"] for item in api.get(path, role="viewer", limit=200).json()["items"]}
    assert created.json()["id"] not in listed
    change = api.call("PATCH", f"{path}/{created.json()['id']}", "viewer", {"version": 1})
    assert change.status_code == 404


@pytest.mark.parametrize("path", PATHS)
def test_lists_are_paginated(api, world, source, path):
    for _ in range(3):
        assert api.call("POST", path, "admin", create_body(path, world, source)).status_code == 201
    page = api.get(path, limit=2, offset=1).json()
    assert (page["limit"], page["offset"]) == (2, 1)
    assert len(page["items"]) == 2 and page["count"] >= 3
    assert api.get(path, limit=201).status_code == 422


@pytest.mark.parametrize("path", PATHS)
def test_viewer_may_read_but_not_change_or_delete_a_visible_record(api, world, source, path):
    created = api.call("POST", path, "admin", create_body(path, world, source)).json()
    target = f"{path}/{created['id']}"
    assert api.get(target, role="viewer").status_code == 200
    field, value = CHANGES[path]
    change = api.call("PATCH", target, "viewer", {"version": 1, field: value})
    delete = api.call("DELETE", target, "viewer", {"version": 1, "reason": "Fictional"})
    assert change.status_code == delete.status_code == 403
    assert "error" in change.json() and "error" in delete.json()
    assert MODELS[path].objects.get(pk=created["id"]).version == 1
