"""Link stored lists, review the uncertain pairs, and estimate from the decided links.

A link run links every pair of its lists with :func:`vigil.counting.link.link` and keeps the
pairs at or above the review probability with their match probabilities. A reviewer decides
a pair "same person" or "different persons" (or undoes a decision); each decision is an
append-only row, audited. Links are not merges: no row of a list and no record changes.

The estimate from a run uses the decided links — same = probability 1, different = 0 — and the
computer's probability for the others (pairs whose names are not at least review-alike are left
out, as in ``vigil estimate --from-links``), through the stored-estimate path
(:func:`vigil.counting.stored.compute` and :func:`~vigil.counting.stored.store`). A record of
the inputs is the lists' row positions, never names.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from vigil.core.errors import Forbidden, NotFound, ValidationFailed
from vigil.core.models import CONFIDENTIALITY_ORDER
from vigil.counting.link import MATCH_NAME_SCORE, MATCH_PROBABILITY, link
from vigil.counting.models import (
    Decision,
    LinkDecision,
    LinkPair,
    LinkRun,
    ListStatus,
    PersonList,
)
from vigil.counting.stored import compute, links_inputs, settings_json, store, used_seed
from vigil.counting.stored_lists import rows_of
from vigil.counting.table import MAX_LISTS, OverlapTable
from vigil.counting.uncertain_links import DEFAULT_DRAWS, Link, LinkedLists, checked, draw_table
from vigil.policy.access import allows, restrict, save_checked
from vigil.policy.auditing import audit

if TYPE_CHECKING:
    from vigil.accounts.types import User

DECISIONS = {"same": Decision.SAME, "different": Decision.DIFFERENT, "undo": Decision.PENDING}


def list_labels(lists: list[PersonList]) -> list[str]:
    """Each list's name in the estimate's inputs: its name, with its date when names repeat."""
    names = [p.name for p in lists]
    return [str(p) if names.count(p.name) > 1 else p.name for p in lists]


def run_link(user: User, lists: list[PersonList], seed: int = 0) -> LinkRun:
    """Link every pair of ``lists`` (two or more, ready, each viewable by ``user``)."""
    if len(lists) < 2:
        raise ValidationFailed("choose two or more lists to link")
    if len(lists) > MAX_LISTS:
        raise ValidationFailed(f"at most {MAX_LISTS} lists can be linked at once")
    if len({p.pk for p in lists}) != len(lists):
        raise ValidationFailed("a list is chosen twice")
    for plist in lists:
        if plist.status != ListStatus.READY or not allows(user, "view", plist):
            raise NotFound(f"no stored list {plist.pk} you may view")
    rows = {p.pk: rows_of(p) for p in lists}
    level = max((p.confidentiality for p in lists), key=CONFIDENTIALITY_ORDER.__getitem__)
    summary: dict[str, Any] = {"pairs_of_lists": []}
    found: list[tuple[Any, Any, Any]] = []
    for a, b in combinations(lists, 2):
        by_position_a = {person.id: row for row, person in rows[a.pk]}
        by_position_b = {person.id: row for row, person in rows[b.pk]}
        result = link([p for _, p in rows[a.pk]], [p for _, p in rows[b.pk]], seed=seed)
        summary["pairs_of_lists"].append(
            {
                "lists": [str(a.pk), str(b.pk)],
                "compared": result.compared,
                "possible": result.possible,
                "blocking_recall": round(result.blocking_recall, 4),
                "left_out_similar": round(result.left_out_similar, 2),
                "matches": sum(p.match for p in result.pairs),
                "review": sum(not p.match for p in result.pairs),
            }
        )
        found += [(by_position_a[p.left], by_position_b[p.right], p) for p in result.pairs]
    with transaction.atomic():
        run = LinkRun(
            list_order=[str(p.pk) for p in lists],
            seed=seed,
            summary=summary,
            confidentiality=level,
        )
        save_checked(user, "add", run)
        run.lists.set(lists)
        LinkPair.objects.bulk_create(
            [
                LinkPair(
                    run=run,
                    left=left,
                    right=right,
                    probability=p.probability,
                    match=p.match,
                    name_score=round(p.name_score, 4),
                )
                for left, right, p in found
            ],
            batch_size=1000,
        )
        audit("link_run", actor=user, obj=run, count=len(found), result="ok")
    return run


def visible_runs(user: User) -> Any:
    return restrict(user, "view", LinkRun.objects.all())


def find_run(user: User, ref: str) -> LinkRun:
    import uuid

    try:
        found = visible_runs(user).filter(pk=uuid.UUID(str(ref))).first()
    except ValueError:
        found = None
    if found is None:
        raise NotFound(f"no link run {ref!r} you may view")
    return found


def run_lists(run: LinkRun) -> list[PersonList]:
    """The run's lists in the order they were linked."""
    by_id = {str(p.pk): p for p in PersonList.all_objects.filter(link_runs=run)}
    return [by_id[i] for i in run.list_order]


def may_review(user: User, run: LinkRun) -> bool:
    """Whether ``user`` may decide the run's pairs: changing the run, under the one policy."""
    return allows(user, "change", run)


def in_review_band(pair: LinkPair) -> bool:
    """A pair the computer did not match: for a person to decide."""
    return not pair.match


def decide(user: User, pair: LinkPair, decision: str) -> LinkPair:
    """Record ``decision`` ("same", "different" or "undo") on ``pair``; audited."""
    if decision not in DECISIONS:
        raise ValidationFailed(f"decide same, different or undo, not {decision!r}")
    if not may_review(user, pair.run):
        audit("denied", actor=user, obj=pair.run, action="change", reason="link_review")
        raise Forbidden("You may not review the links of this run.")
    new = DECISIONS[decision]
    with transaction.atomic():
        locked = LinkPair.objects.select_for_update().get(pk=pair.pk)
        if decision == "undo" and locked.decision == Decision.PENDING:
            raise ValidationFailed("this pair has no decision to undo")
        LinkDecision.objects.create(
            pair=locked, decision=new, decided_by=user, decided_at=timezone.now()
        )
        locked.decision = new
        locked.save(update_fields=["decision"])
        audit(
            "link_decision",
            actor=user,
            obj=pair.run,
            decision=str(new),
            action="undo" if decision == "undo" else "decide",
        )
    return locked


def find_pair(user: User, pk: Any) -> LinkPair:
    try:
        found = restrict(user, "view", LinkPair.objects.all()).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound(f"no linked pair {pk!r} you may view")
    return found


def effective_probability(pair: LinkPair) -> float | None:
    """The probability the estimate uses: 1 or 0 when decided; the computer's when pending,
    None (left out) when the names are not review-alike."""
    if pair.decision == Decision.SAME:
        return 1.0
    if pair.decision == Decision.DIFFERENT:
        return 0.0
    return pair.probability if pair.name_score >= MATCH_NAME_SCORE else None


def linked_lists(run: LinkRun) -> LinkedLists:
    """The run's lists (row positions) and links, with the reviewers' decisions applied."""
    lists = run_lists(run)
    labels = dict(zip((p.pk for p in lists), list_labels(lists), strict=True))
    members = {
        labels[p.pk]: tuple(str(n) for n in p.rows.order_by("position").values_list(
            "position", flat=True))
        for p in lists
    }
    links = []
    for pair in run.pairs.select_related("left", "right"):
        p = effective_probability(pair)
        if p is None or p == 0.0:
            continue
        links.append(
            Link(
                (labels[pair.left.list_id], str(pair.left.position)),
                (labels[pair.right.list_id], str(pair.right.position)),
                p,
            )
        )
    return checked(LinkedLists(members, tuple(links)))


def overlap(run: LinkRun) -> OverlapTable:
    """The overlap table of the run's point linkage (decisions applied)."""
    return draw_table(linked_lists(run))


@dataclass(frozen=True)
class Cluster:
    """Rows taken as one person, and how sure: the lowest probability among the links that
    join them (1.0 when every link was confirmed by a person)."""

    pairs: tuple[LinkPair, ...]
    size: int
    confidence: float


def clusters(run: LinkRun) -> list[Cluster]:
    """The point linkage's persons on more than one list, least certain first."""
    kept = [
        pair
        for pair in run.pairs.select_related("left", "right").order_by("-probability", "id")
        if (p := effective_probability(pair)) is not None and p >= MATCH_PROBABILITY
    ]
    kept.sort(key=lambda pair: (-(effective_probability(pair) or 0.0), pair.pk))
    parent: dict[Any, Any] = {}
    lists_in: dict[Any, set[Any]] = {}

    def root(x: Any) -> Any:
        parent.setdefault(x, x)
        lists_in.setdefault(x, {x[0]})
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    joined: dict[Any, list[LinkPair]] = {}
    for pair in kept:
        a = root((pair.left.list_id, pair.left_id))
        b = root((pair.right.list_id, pair.right_id))
        if a == b or lists_in[a] & lists_in[b]:
            continue  # a list would hold the person twice (as in the estimate's linkage)
        parent[b] = a
        lists_in[a] |= lists_in[b]
        joined[a] = [*joined.pop(a, []), *joined.pop(b, []), pair]
    found = [
        Cluster(
            tuple(pairs),
            len(lists_in[r]),
            min(effective_probability(p) or 0.0 for p in pairs),
        )
        for r, pairs in joined.items()
    ]
    return sorted(found, key=lambda c: (c.confidence, -c.size))


def reproducing_command(run: LinkRun, method: str, seed: int | None, draws: int) -> str:
    parts = ["vigil", "lists", "estimate", str(run.pk), "--method", method]
    if seed is not None:
        parts += ["--seed", str(seed)]
    parts += ["--link-draws", str(draws)]
    return shlex.join(parts)


def estimate_run(
    user: User,
    run: LinkRun,
    *,
    method: str = "loglinear",
    seed: int | None = None,
    draws: int = DEFAULT_DRAWS,
    save: str | None = None,
    category: str = "other",
    period: str = "",
) -> tuple[Any, Any]:
    """The estimate from the run's decided links; stored (``save`` = its label) through the
    stored-estimate path. Returns (estimate, stored row or None)."""
    if method not in ("loglinear", "lcmcr"):
        raise ValidationFailed(f"unknown method {method!r}; use loglinear or lcmcr")
    inputs = links_inputs(linked_lists(run), draws)
    settings = settings_json(None, method)
    result = compute(inputs, method, seed, settings)
    if save is None:
        return result, None
    command = reproducing_command(run, method, used_seed(result), draws)
    row = store(
        result,
        inputs,
        user=user,
        label=save,
        category=category,
        command=command,
        settings=settings,
        period=period,
    )
    return result, row
