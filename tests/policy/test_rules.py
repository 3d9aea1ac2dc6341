"""The rules table as data: its shape, its pure evaluation, and invariants over it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vigil.policy.rules import ACTIONS, LEVELS, ROLES, RULES, Reach, decide, render_table

roles = st.sampled_from(ROLES)
actions = st.sampled_from(ACTIONS)
levels = st.sampled_from(LEVELS)
grant_levels = st.sampled_from([None, "restricted", "secret"])


def test_req11_rules_table_names_only_known_roles_actions_and_levels():
    assert set(RULES) == set(ROLES)
    for by_action in RULES.values():
        assert set(by_action) <= set(ACTIONS)
        for row in by_action.values():
            assert set(row) == set(LEVELS)
            assert all(isinstance(reach, Reach) for reach in row.values())


def test_req11_unknown_role_or_action_is_denied():
    assert not decide("intruder", "view", "public", own=True, grant_level="secret")
    assert not decide("admin", "purge", "public", own=True, grant_level="secret")


def test_req11_viewer_reads_public_and_internal_but_not_restricted_without_grant():
    assert decide("viewer", "view", "internal", own=False, grant_level=None)
    assert not decide("viewer", "view", "restricted", own=False, grant_level=None)
    assert decide("viewer", "view", "restricted", own=False, grant_level="restricted")
    assert not decide("viewer", "view", "secret", own=False, grant_level="restricted")
    assert not decide("viewer", "change", "internal", own=True, grant_level="secret")


def test_req11_documenter_changes_own_or_granted_and_never_publishes():
    assert decide("documenter", "change", "internal", own=True, grant_level=None)
    assert not decide("documenter", "change", "internal", own=False, grant_level=None)
    assert decide("documenter", "change", "restricted", own=False, grant_level="restricted")
    assert not decide("documenter", "change", "public", own=True, grant_level="secret")


def test_req11_coordinator_sees_secret_only_for_granted_cases_and_admin_always():
    assert decide("coordinator", "view", "restricted", own=False, grant_level=None)
    assert not decide("coordinator", "view", "secret", own=False, grant_level="restricted")
    assert decide("coordinator", "view", "secret", own=False, grant_level="secret")
    assert decide("admin", "view", "secret", own=False, grant_level=None)


@given(roles, actions, levels, st.booleans(), grant_levels, grant_levels)
def test_req11_a_higher_grant_never_takes_access_away(role, action, level, own, low, high):
    order = [None, "restricted", "secret"]
    if order.index(low) > order.index(high):
        low, high = high, low
    if decide(role, action, level, own=own, grant_level=low):
        assert decide(role, action, level, own=own, grant_level=high)


@given(roles, levels, st.booleans(), grant_levels)
def test_req11_viewing_never_gets_easier_as_confidentiality_rises(role, level, own, grant):
    higher = LEVELS[LEVELS.index(level) :]
    if not decide(role, "view", level, own=own, grant_level=grant):
        assert not any(decide(role, "view", lv, own=own, grant_level=grant) for lv in higher)


@given(levels, st.booleans(), grant_levels, actions)
def test_req11_no_role_below_admin_holds_more_than_admin(level, own, grant, action):
    for role in ROLES:
        if decide(role, action, level, own=own, grant_level=grant):
            assert decide("admin", action, level, own=own, grant_level=grant)


def test_req11_rendered_table_lists_every_role_with_any_permission():
    table = render_table()
    for role in ROLES:
        assert f"| {role} | view |" in table
    assert "| viewer | grant |" not in table
