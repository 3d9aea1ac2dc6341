"""The API shows when the organisation learned of an act, and a new act is known from today."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from vigil.records.models import Act


def test_act_read_shows_known_since_and_whether_it_is_assumed(api, world):
    Act.all_objects.filter(pk=world.arrest.pk).update(
        known_since=dt.date(2021, 1, 10), known_since_assumed=True
    )
    body = api.get(f"/acts/{world.arrest.pk}").json()
    assert body["known_since"] == "2021-01-10"
    assert body["known_since_assumed"] is True


def test_an_act_created_through_the_api_is_known_from_today_unless_told(api, world):
    base = {"event": str(world.arrest.event_id), "act_type": "threat", "date_text": "2021"}
    today = api.call("POST", "/acts", "documenter", base).json()
    assert today["known_since"] == timezone.localdate().isoformat()
    given = api.call("POST", "/acts", "documenter", {**base, "known_since": "2022-03-04"}).json()
    assert given["known_since"] == "2022-03-04"
    assert given["known_since_assumed"] is False


def test_giving_a_date_of_learning_clears_the_assumed_flag_and_other_changes_keep_it(api, world):
    Act.all_objects.filter(pk=world.arrest.pk).update(
        known_since=dt.date(2021, 1, 10), known_since_assumed=True
    )
    path = f"/acts/{world.arrest.pk}"
    version = api.get(path).json()["version"]
    kept = api.call("PATCH", path, "admin", {"version": version, "outcome": "Fictional"}).json()
    assert kept["known_since_assumed"] is True
    given = api.call(
        "PATCH", path, "admin", {"version": kept["version"], "known_since": "2021-02-01"}
    ).json()
    assert given["known_since"] == "2021-02-01"
    assert given["known_since_assumed"] is False
