"""The acts by type and perpetrators by role of ``record_stats`` are the policy's definition
(issue 14 §2, the home page's first visit after a write at 100k, twenty-first round).

``records.stats`` counts the perpetrators of the involvements whose act is in the list of acts
the first statement found visible, instead of checking each involvement's act again. These
tests compare its figures, for every role, a user with a grant and each ceiling, with the
plain definition — ``restrict``/``restrict_to_ceiling`` of ``Act`` and ``Involvement``
counted as they are — over a record with an act hidden by its event, by its victim, by its own
level, soft-deleted, a soft-deleted involvement, a hidden perpetrator and synthetic rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Count, QuerySet
from django.utils import timezone
from tests.record_acts import act_of, involvement_of

from vigil.accounts.models import User
from vigil.core.context import change_context
from vigil.policy.access import LEVELS, restrict_to_ceiling
from vigil.policy.models import CaseGrant
from vigil.records.models import Act, Case, Involvement, Organisation, Person
from vigil.records.stats import _counts, record_stats
from vigil.records.visible import visible

pytestmark = pytest.mark.django_db
D = dt.date
ROLES = ("viewer", "documenter", "analyst", "coordinator", "admin")


@pytest.fixture
def ctx() -> Iterator[None]:
    with change_context("test", detail="counts definition"):
        yield



@pytest.fixture
def record(ctx: None) -> dict[str, Any]:
    judges = {
        level: Person.objects.create(display_name=f"Fictional Judge {level}", confidentiality=level)
        for level in LEVELS
    }
    court = Organisation.objects.create(display_name="Fictional Court", confidentiality="internal")
    hidden_court = Organisation.objects.create(
        display_name="Fictional Secret Court", confidentiality="secret"
    )
    found: dict[str, Any] = {}
    for level in LEVELS:
        victim = Person.objects.create(display_name=f"Fictional {level}", confidentiality=level)
        public_victim = Person.objects.create(
            display_name=f"Fictional public {level}", confidentiality="public"
        )
        # An internal act hidden by its own level, by its victim, by its event.
        own = act_of(public_victim, "arrest", D(2024, 1, 10), level)
        by_victim = act_of(victim, "sentence", D(2024, 1, 11), "public", sentence_months=12)
        by_event = act_of(public_victim, "detention", D(2024, 1, 12), "public", event_level=level)
        for act in (own, by_victim, by_event):
            # Public involvements: only their act (or perpetrator) hides them; a public
            # perpetrator of this act alone, counted exactly where the act is visible.
            alone = Person.objects.create(
                display_name=f"Fictional perpetrator {act.pk}", confidentiality="public"
            )
            involvement_of(act, alone, "judge", "public")
            involvement_of(act, judges["public"], "judge", "public")
            involvement_of(act, court, "investigator", "public")
            involvement_of(act, judges[level], "prosecutor", "public")
            involvement_of(act, hidden_court, "investigator", "public")
            involvement_of(act, judges["public"], "judge", level)
        synthetic = act_of(public_victim, "arrest", D(2024, 1, 13), level, is_synthetic=True)
        involvement_of(synthetic, judges[level], "judge", "public", is_synthetic=True)
        involvement_of(synthetic, court, "prosecutor", "public")
        found[level] = own
    deleted_act = act_of(judges["public"], "arrest", D(2024, 2, 1), "public")
    involvement_of(deleted_act, court, "judge", "public")
    Act.all_objects.filter(pk=deleted_act.pk).update(deleted_at=timezone.now())
    deleted_involvement = involvement_of(found["public"], judges["secret"], "prosecutor", "public")
    Involvement.all_objects.filter(pk=deleted_involvement.pk).update(deleted_at=timezone.now())
    return found


def _plain(seen, include_synthetic: bool) -> tuple[dict[str, int], dict[str, int]]:
    """The definition: the visible acts and involvements, each checked in full by the policy."""

    def real(qs: QuerySet[Any]) -> QuerySet[Any]:
        qs = seen(qs)
        return qs if include_synthetic else qs.filter(is_synthetic=False)

    by_type = dict(
        real(Act.objects.all())
        .values_list("act_type__key")
        .annotate(n=Count("id"))
        .order_by("act_type__key")
    )
    roles = {
        key: persons + organisations
        for key, persons, organisations in real(Involvement.objects.all())
        .values_list("role__key")
        .annotate(
            p=Count("perpetrator_person", distinct=True),
            o=Count("perpetrator_organisation", distinct=True),
        )
        .order_by("role__key")
    }
    return by_type, roles


def _figures(counts: dict[str, Any]) -> tuple[dict[str, int], dict[str, int]]:
    return counts["acts_by_type"], counts["perpetrators_by_role"]


@pytest.mark.parametrize("include_synthetic", [True, False])
def test_each_ceiling_counts_what_restrict_to_ceiling_gives(record, include_synthetic):
    seen_figures = set()
    for level in LEVELS:

        def seen(qs, *, checked_parents=(), level=level):
            return restrict_to_ceiling(level, qs, checked_parents=checked_parents)

        plain = _plain(seen, include_synthetic)
        assert _figures(_counts(seen, include_synthetic)) == plain, level
        seen_figures.add(repr(plain))
    assert len(seen_figures) == len(LEVELS)  # every ceiling sees a different record


@pytest.mark.parametrize("include_synthetic", [True, False])
def test_each_user_counts_what_restrict_gives(record, include_synthetic, ctx):
    users = [User.objects.create_user(f"fictional-{role}", role=role) for role in ROLES]
    granted = User.objects.create_user("fictional-granted", role="coordinator")
    case = Case.objects.create(title="Fictional case")
    case.events.add(record["secret"].event)
    CaseGrant.objects.create(user=granted, case=case, level="secret", granted_by=None)
    for user in [*users, granted]:

        def seen(qs, *, checked_parents=(), user=user):
            return visible(user, qs, checked_parents=checked_parents)

        plain = _plain(seen, include_synthetic)
        assert _figures(record_stats(user=user, include_synthetic=include_synthetic)) == plain
        assert (
            _figures(record_stats(user=user, include_synthetic=include_synthetic, fresh=True))
            == plain
        )


def test_the_whole_record_counts_every_live_row(record):
    def everything(qs, *, checked_parents=()):
        return qs

    for include_synthetic in (True, False):
        plain = _plain(everything, include_synthetic)
        assert _figures(record_stats(include_synthetic=include_synthetic)) == plain
        # An involvement of a soft-deleted act is still a live involvement of the whole record.
        assert plain[1]["judge"] >= 1


def test_a_reader_refused_every_involvement_still_counts_the_acts_as_defined(record):
    # The policy answers some readers with an empty queryset for a whole model (``none()``):
    # the acts by type must not vanish with the involvements.
    def seen(qs, *, checked_parents=()):
        narrowed = restrict_to_ceiling("restricted", qs, checked_parents=checked_parents)
        return narrowed.none() if qs.model is Involvement else narrowed

    for include_synthetic in (True, False):
        plain = _plain(seen, include_synthetic)
        assert plain[0] != {} and plain[1] == {}
        assert _figures(_counts(seen, include_synthetic)) == plain
