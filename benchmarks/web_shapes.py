"""Give a benchmark copy the shapes of record the synthetic demo lacks, for page comparisons.

The synthetic demo's acts and their rows are all ``internal`` and none is deleted, so a
byte-for-byte comparison of two trees (``web_cpu.py --dump``, ``web_pages.py``) on it never
shows a row the policy hides. This marks, on a **copy** (it writes), six victims' acts and rows
restricted, secret and soft-deleted (through the models, with history, as an analyst's edit
would), makes one perpetrator and one lawyer restricted, adds participants, and groups one
victim's event into a case on which the benchmark's viewer holds a restricted grant. Run once
per copy (a second run finds the case and stops); ``web_cpu.py --dump`` then picks the marked
persons, events, places and cases.

    VIGIL_DATA_DIR=COPY/demo python benchmarks/web_shapes.py
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

CASE_TITLE = "Benchmark shapes: a case the viewer holds a grant on"


def _set(row: Any, level: str) -> None:
    if row is None:  # nothing of that kind on this victim's acts
        return
    row.confidentiality = level
    row.save()


def mark() -> str:
    from django.db.models import Count

    from vigil.core.context import change_context
    from vigil.policy.models import CaseGrant
    from vigil.records.models import Act, ActCharge, Case, Counsel, Involvement, Participant, Person
    from web_plan import bench_user

    if Case.all_objects.filter(title=CASE_TITLE).exists():
        return "web_shapes: already marked"
    # Victims of an act with perpetrators and counsel who have two or more acts: the last six
    # by key (the profile scenario's persons are picked from the other end).
    with_counsel = Counsel.objects.filter(act__involvements__isnull=False)
    victims = (
        Person.objects.filter(pk__in=with_counsel.values("act__victim_person_id"))
        .annotate(n=Count("acts"))
        .filter(n__gte=2)
        .order_by("-pk")
        .values_list("pk", flat=True)[:6]
    )
    picked = list(victims)
    if len(picked) < 6:
        return "web_shapes: fewer than six victims with perpetrators and counsel"
    with change_context("cli", detail="benchmark shapes"):
        acts = [list(Act.objects.filter(victim_person_id=pk).order_by("pk")) for pk in picked]
        first = [a[0] for a in acts]
        _set(first[0], "restricted")
        _set(first[1], "secret")
        _set(Involvement.objects.filter(act__in=acts[1][1:]).order_by("pk").first(), "restricted")
        Involvement.objects.filter(act__in=acts[2]).order_by("pk").first().soft_delete("bench")
        _set(Counsel.objects.filter(act__in=acts[2]).order_by("pk").first(), "secret")
        Counsel.objects.filter(act__in=acts[3]).order_by("pk").first().soft_delete("bench")
        _set(ActCharge.objects.filter(act__in=acts[3]).order_by("pk").first(), "restricted")
        judge = Involvement.objects.filter(act__in=acts[4], perpetrator_person__isnull=False)
        judge_person = judge.order_by("pk").first()
        if judge_person is not None:
            _set(judge_person.perpetrator_person, "restricted")
        lawyer = Counsel.objects.filter(act__in=acts[4]).order_by("pk").first()
        if lawyer is not None:
            _set(lawyer.lawyer, "restricted")
        for level in ("internal", "secret"):
            named = Participant(act=first[4], name_text=f"Benchmark participant ({level})")
            _set(named, level)
        _set(first[5], "restricted")
        _set(Involvement.objects.filter(act__in=acts[5]).order_by("pk").first(), "restricted")
        case = Case.objects.create(title=CASE_TITLE)
        case.persons.add(picked[5])
        case.events.add(*{a.event_id for a in acts[5] if a.event_id})
        CaseGrant.objects.create(user=bench_user("viewer"), case=case, level="restricted")
    return f"web_shapes: marked {len(picked)} victims' acts and rows, one case with a grant"


def main() -> None:
    import django

    django.setup()
    print(mark())


if __name__ == "__main__":
    main()
