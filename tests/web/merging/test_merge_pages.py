"""Merging duplicate persons from the web: suggestions, comparison, merge, unmerge, policy."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.web.merging.conftest import Duplicates, client_for, make_duplicates
from vigil.audit.models import AuditEntry
from vigil.core.context import change_context
from vigil.core.models import Version
from vigil.records.models import Act, Person, PersonMerge


def compare_url(d: Duplicates) -> str:
    return reverse("merge:compare", args=[d.latin.pk, d.cyrillic.pk])


def merge_post(d: Duplicates, keep: Person, reason: str = "Same birth year; same arrest") -> dict:
    return {
        "keep": str(keep.pk),
        "reason": reason,
        "first_version": d.latin.version,
        "second_version": d.cyrillic.version,
    }


def test_duplicates_page_suggests_the_latin_and_cyrillic_records(
    dups: Duplicates, users: dict[str, Any]
) -> None:
    response = client_for(users["analyst"]).get(reverse("merge:duplicates"))
    assert response.status_code == 200
    pairs = response.context["pairs"]
    assert len(pairs) == 1
    assert {pairs[0].first.pk, pairs[0].second.pk} == {dups.latin.pk, dups.cyrillic.pk}
    assert pairs[0].score >= 0.9
    assert (
        compare_url(dups) in response.content.decode()
        or reverse("merge:compare", args=[dups.cyrillic.pk, dups.latin.pk])
        in response.content.decode()
    )


def test_duplicates_page_narrows_by_name_in_another_script(
    dups: Duplicates, users: dict[str, Any], ctx: Any
) -> None:
    client = client_for(users["analyst"])
    assert len(client.get(reverse("merge:duplicates"), {"q": "Тэставіч"}).context["pairs"]) == 1
    assert client.get(reverse("merge:duplicates"), {"q": "Nobody Fictional"}).context["pairs"] == []


def test_duplicates_page_offers_no_pair_the_user_may_not_change(
    dups: Duplicates, users: dict[str, Any]
) -> None:
    # A documenter changes only what they created; these records were made by no one.
    response = client_for(users["documenter"]).get(reverse("merge:duplicates"))
    assert response.context["pairs"] == []
    assert "Testovich" not in response.content.decode()


def test_duplicates_page_never_shows_a_hidden_person(
    dups: Duplicates, users: dict[str, Any], ctx: Any
) -> None:
    hidden = make_duplicates(confidentiality="secret")
    response = client_for(users["coordinator"]).get(reverse("merge:duplicates"))
    shown = {p.pk for pair in response.context["pairs"] for p in (pair.first, pair.second)}
    assert hidden.latin.pk not in shown and hidden.cyrillic.pk not in shown
    assert {dups.latin.pk, dups.cyrillic.pk} <= shown


def test_comparison_shows_names_in_both_scripts_births_acts_and_sources(
    dups: Duplicates, users: dict[str, Any]
) -> None:
    response = client_for(users["analyst"]).get(compare_url(dups))
    assert response.status_code == 200
    text = response.content.decode()
    for expected in (
        "Zmitser Testovich",
        "Змітцер Тэставіч",
        "1975",
        "Fictional monitoring report",
    ):
        assert expected in text
    c = response.context["c"]
    assert (c.first.acts, c.second.acts) == (1, 1)
    assert c.allowed and not c.problem
    assert 'name="reason"' in text and "csrfmiddlewaretoken" in text


def test_merge_keeps_one_person_with_both_names_and_both_acts(
    dups: Duplicates, users: dict[str, Any]
) -> None:
    client = client_for(users["analyst"])
    response = client.post(compare_url(dups), merge_post(dups, dups.latin))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:person", args=[dups.latin.pk])
    gone = Person.all_objects.get(pk=dups.cyrillic.pk)
    assert gone.merged_into_id == dups.latin.pk and gone.is_deleted
    assert set(Person.objects.get(pk=dups.latin.pk).names.values_list("value", flat=True)) == {
        "Zmitser Testovich",
        "Змітцер Тэставіч",
    }
    assert set(Act.objects.filter(victim_person=dups.latin).values_list("pk", flat=True)) == {
        dups.latin_act.pk,
        dups.cyrillic_act.pk,
    }
    merge = PersonMerge.objects.get()
    assert merge.reason == "Same birth year; same arrest"
    assert merge.created_by_id == users["analyst"].pk
    merged_versions = Version.objects.filter(object_id=dups.cyrillic.pk, action="merge")
    assert merged_versions.filter(actor_id=users["analyst"].pk).exists()
    page = client.get(response["Location"], follow=True)
    assert "Змітцер Тэставіч" in page.content.decode()


def test_the_kept_record_can_be_either_one(dups: Duplicates, users: dict[str, Any]) -> None:
    response = client_for(users["coordinator"]).post(
        compare_url(dups), merge_post(dups, dups.cyrillic)
    )
    assert response.status_code == 302
    assert Person.all_objects.get(pk=dups.latin.pk).merged_into_id == dups.cyrillic.pk


def test_a_merge_without_a_reason_is_refused_and_changes_nothing(
    dups: Duplicates, users: dict[str, Any]
) -> None:
    response = client_for(users["analyst"]).post(
        compare_url(dups), merge_post(dups, dups.latin, reason="   ")
    )
    assert response.status_code == 400
    assert not PersonMerge.all_objects.exists()
    assert not Person.all_objects.get(pk=dups.cyrillic.pk).is_deleted


def test_a_merge_over_a_stale_page_is_a_conflict_not_a_silent_merge(
    dups: Duplicates, users: dict[str, Any], ctx: Any
) -> None:
    data = merge_post(dups, dups.latin)
    dups.cyrillic.notes = "Edited by someone else meanwhile (fictional)."
    dups.cyrillic.save()
    response = client_for(users["analyst"]).post(compare_url(dups), data)
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert not PersonMerge.all_objects.exists()
    assert not Person.all_objects.get(pk=dups.cyrillic.pk).is_deleted


def test_a_refused_merge_by_the_service_is_a_message_not_a_stack_trace(
    ctx: Any, users: dict[str, Any]
) -> None:
    real = Person(display_name="Zmitser Testovich (real-flagged fictional)")
    real.save()
    fake = Person(display_name="Zmitser Testovich", is_synthetic=True)
    fake.save()
    client = client_for(users["analyst"])
    url = reverse("merge:compare", args=[real.pk, fake.pk])
    page = client.get(url).content.decode()
    assert "synthetic (demo) person is never merged" in page
    assert 'name="reason"' not in page
    response = client.post(
        url,
        {
            "keep": str(real.pk),
            "reason": "fictional",
            "first_version": real.version,
            "second_version": fake.version,
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "never merged with a real one" in text and "Traceback" not in text
    assert not PersonMerge.all_objects.exists()


def test_a_user_who_may_view_but_not_change_gets_403_and_an_audited_denial(
    dups: Duplicates, users: dict[str, Any]
) -> None:
    client = client_for(users["viewer"])
    page = client.get(compare_url(dups))
    assert page.status_code == 200 and 'name="reason"' not in page.content.decode()
    response = client.post(compare_url(dups), merge_post(dups, dups.latin))
    assert response.status_code == 403
    assert not PersonMerge.all_objects.exists()
    assert AuditEntry.objects.filter(
        event="denied", actor_id=str(users["viewer"].pk), object_id=str(dups.latin.pk)
    ).exists()


def test_a_documenter_merges_records_they_created(users: dict[str, Any]) -> None:
    with change_context("test", actor=users["documenter"]):
        mine = make_duplicates()
    response = client_for(users["documenter"]).post(compare_url(mine), merge_post(mine, mine.latin))
    assert response.status_code == 302
    assert PersonMerge.objects.count() == 1


def test_a_hidden_person_is_not_found_for_comparison_or_merge(
    dups: Duplicates, users: dict[str, Any], ctx: Any
) -> None:
    secret = make_duplicates(confidentiality="secret")
    client = client_for(users["analyst"])
    mixed = reverse("merge:compare", args=[dups.latin.pk, secret.cyrillic.pk])
    assert client.get(mixed).status_code == 404
    assert client.post(mixed, merge_post(secret, dups.latin)).status_code == 404
    assert client.get(reverse("merge:history", args=[secret.latin.pk])).status_code == 404
    assert not PersonMerge.all_objects.exists()


def test_history_lists_the_merge_and_undo_restores_both_records(
    dups: Duplicates, users: dict[str, Any]
) -> None:
    client = client_for(users["analyst"])
    client.post(compare_url(dups), merge_post(dups, dups.latin))
    merge = PersonMerge.objects.get()
    for pk in (dups.latin.pk, dups.cyrillic.pk):
        page = client.get(reverse("merge:history", args=[pk]))
        assert page.status_code == 200
        assert "Same birth year; same arrest" in page.content.decode()
        assert reverse("merge:undo", args=[merge.pk]) in page.content.decode()
    assert client.get(reverse("merge:undo", args=[merge.pk])).status_code == 405
    response = client.post(
        reverse("merge:undo", args=[merge.pk]), {"reason": "Two different fictional people"}
    )
    assert response.status_code == 302
    restored = Person.objects.get(pk=dups.cyrillic.pk)
    assert restored.merged_into_id is None
    assert Act.objects.get(pk=dups.cyrillic_act.pk).victim_person_id == restored.pk
    merge.refresh_from_db()
    assert merge.is_undone and merge.unmerge_reason == "Two different fictional people"
    page = client.get(response["Location"]).content.decode()
    assert "The merge was undone" in page
    assert reverse("merge:undo", args=[merge.pk]) not in page


def test_undo_needs_a_reason_and_the_right_to_change_both(
    dups: Duplicates, users: dict[str, Any]
) -> None:
    client_for(users["analyst"]).post(compare_url(dups), merge_post(dups, dups.latin))
    merge = PersonMerge.objects.get()
    url = reverse("merge:undo", args=[merge.pk])
    response = client_for(users["analyst"]).post(url, {"reason": ""})
    assert response.status_code == 400
    assert "reason is required" in response.content.decode()
    assert client_for(users["viewer"]).post(url, {"reason": "fictional"}).status_code == 403
    assert not PersonMerge.objects.get().is_undone


def test_undoing_twice_is_a_message(dups: Duplicates, users: dict[str, Any]) -> None:
    client = client_for(users["analyst"])
    client.post(compare_url(dups), merge_post(dups, dups.latin))
    url = reverse("merge:undo", args=[PersonMerge.objects.get().pk])
    client.post(url, {"reason": "fictional"})
    response = client.post(url, {"reason": "fictional again"})
    assert response.status_code == 400
    assert "already undone" in response.content.decode()


def test_merge_pages_need_sign_in(dups: Duplicates) -> None:
    from django.test import Client

    assert Client().get(reverse("merge:duplicates")).status_code == 302
    response = Client().post(compare_url(dups), merge_post(dups, dups.latin))
    assert response.status_code == 302
    assert not PersonMerge.all_objects.exists()


def test_merge_needs_the_csrf_token(dups: Duplicates, users: dict[str, Any]) -> None:
    from django.test import Client

    from vigil.accounts.testing import login_verified

    client = login_verified(Client(enforce_csrf_checks=True), users["analyst"])
    assert client.post(compare_url(dups), merge_post(dups, dups.latin)).status_code == 403
    assert not PersonMerge.all_objects.exists()
