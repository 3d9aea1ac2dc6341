"""Merging duplicate persons from the web: suggestions, a side-by-side view, merge and unmerge.

The work is done by ``vigil.records.merge`` (which keeps the history); this module decides what
the signed-in user may see and do. Merging moves every record of one person to another, so it
is an edit of both: the policy's "change" on each person is required, for merging and for
undoing a merge alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil.core.errors import NotFound, ValidationFailed, VigilError
from vigil.names import compare
from vigil.policy.access import allows, check_write, restrict
from vigil.records.dates import display_date
from vigil.records.merge import (
    MergeResult,
    check_mergeable,
    merge_candidates,
    merge_persons,
    unmerge,
)
from vigil.records.models import (
    Act,
    ExternalId,
    Information,
    Involvement,
    Person,
    PersonMerge,
    Source,
)

if TYPE_CHECKING:
    from vigil.accounts.types import SignedInRequest, User

# Persons whose duplicates the suggestions page looks for; each costs one candidate search.
SEEDS = 10
PER_SEED = 5


@dataclass(frozen=True)
class Pair:
    """Two persons the name scorer thinks may be one, with its reasons."""

    first: Person
    second: Person
    score: float
    why: str


@dataclass
class Side:
    """One person as the comparison shows it."""

    person: Person
    names: list[Any]
    born: str
    acts: int
    perpetrated: int
    sources: list[Source] = field(default_factory=list)


@dataclass
class Comparison:
    """Two persons side by side, with the scorer's view and whether this user may merge them."""

    first: Side
    second: Side
    score: float
    explanation: str
    problem: str
    allowed: bool

    @property
    def sides(self) -> list[Side]:
        return [self.first, self.second]


def find_person(user: User, pk: Any) -> Person:
    """A person ``user`` may view, merged-away ones included; NotFound for hidden or missing."""
    found = restrict(user, "view", Person.all_objects.filter(pk=pk)).first()
    if found is None:
        raise NotFound(_("There is no such person."))
    return found


def may_merge(user: User, first: Person, second: Person) -> bool:
    """Whether the policy lets ``user`` change both persons."""
    return allows(user, "change", first) and allows(user, "change", second)


def _seeds(user: User, query: str) -> list[Person]:
    """The persons to look for duplicates of: matching ``query``, or the latest changed."""
    people = restrict(user, "change", Person.objects.filter(name_withheld=False))
    query = query.strip()
    if query:
        people = people.filter(
            Q(display_name__icontains=query) | Q(names__value__icontains=query)
        ).distinct()
    return list(people.order_by("-updated_at", "pk")[:SEEDS])


def suggested_pairs(user: User, query: str = "") -> list[Pair]:
    """Likely duplicate pairs among the persons ``user`` may change, best first, no repeats."""
    best: dict[tuple[str, str], Pair] = {}
    found: list[tuple[Person, Person, float, str]] = []
    for seed in _seeds(user, query):
        for other, score, why in merge_candidates(seed, limit=PER_SEED):
            found.append((seed, other, score, why))
    editable = set(
        restrict(
            user, "change", Person.objects.filter(pk__in={o.pk for _, o, _, _ in found})
        ).values_list("pk", flat=True)
    )
    for seed, other, score, why in found:
        if other.pk not in editable:
            continue
        first, second = sorted((seed, other), key=lambda p: str(p.pk))
        key = (str(first.pk), str(second.pk))
        if key not in best or score > best[key].score:
            best[key] = Pair(first, second, score, why)
    return sorted(best.values(), key=lambda p: (-p.score, str(p.first.pk), str(p.second.pk)))


def _side(user: User, person: Person) -> Side:
    ct = ContentType.objects.get_for_model(Person)
    cited = Information.objects.filter(target_type=ct, target_id=person.pk).values("source_id")
    return Side(
        person=person,
        names=list(restrict(user, "view", person.names.all()).order_by("-is_primary", "value")),
        born=(
            display_date(person.birth_date, person.birth_date_precision)
            if person.birth_date
            else ""
        ),
        acts=restrict(user, "view", Act.objects.filter(victim_person=person)).count(),
        perpetrated=restrict(
            user, "view", Involvement.objects.filter(perpetrator_person=person)
        ).count(),
        sources=list(restrict(user, "view", Source.objects.filter(pk__in=cited))),
    )


def _birth(person: Person) -> Any:
    if person.birth_date is None or person.birth_date_precision not in ("day", "month", "year"):
        return None
    return person.birth_date.year if person.birth_date_precision != "day" else person.birth_date


def comparison(user: User, first: Person, second: Person) -> Comparison:
    """Both persons as ``user`` may see them, the name score, and what stands in the way."""
    problem = ""
    try:
        check_mergeable(first, second)
    except ValidationFailed as exc:
        problem = exc.message
    match = compare(
        first.display_name, second.display_name, a_birth=_birth(first), b_birth=_birth(second)
    )
    return Comparison(
        first=_side(user, first),
        second=_side(user, second),
        score=match.score,
        explanation=match.explanation,
        problem=problem,
        allowed=may_merge(user, first, second),
    )


def merge_for(
    user: User, keep: Person, duplicate: Person, *, reason: str, versions: tuple[int, int]
) -> MergeResult:
    """Merge ``duplicate`` into ``keep`` for ``user``, as both were when the user saw them.

    ``versions`` are the versions shown on the page: a change since then is a conflict, not a
    silent merge of something the user did not see. Forbidden (audited) without "change".
    """
    check_write(user, "change", keep)
    check_write(user, "change", duplicate)
    keep.version, duplicate.version = versions
    return merge_persons(keep, duplicate, reason=reason)


def history_of(user: User, person: Person) -> list[PersonMerge]:
    """Merges ``person`` took part in, newest first, where ``user`` may view both persons."""
    merges = list(
        PersonMerge.all_objects.filter(Q(keep=person) | Q(duplicate=person))
        .select_related("keep", "duplicate")
        .order_by("-created_at")
    )
    ids = {m.keep_id for m in merges} | {m.duplicate_id for m in merges}
    seen = set(
        restrict(user, "view", Person.all_objects.filter(pk__in=ids)).values_list("pk", flat=True)
    )
    return [m for m in merges if m.keep_id in seen and m.duplicate_id in seen]


def find_merge(user: User, pk: Any) -> PersonMerge:
    """A merge whose two persons ``user`` may view; NotFound otherwise."""
    merge = PersonMerge.all_objects.filter(pk=pk).select_related("keep", "duplicate").first()
    if merge is None or merge not in history_of(user, merge.keep):
        raise NotFound(_("There is no such merge."))
    return merge


def unmerge_for(user: User, merge: PersonMerge, *, reason: str) -> MergeResult:
    """Undo ``merge`` for ``user``: the same "change" on both persons as merging needed."""
    if not reason.strip():
        raise ValidationFailed(_("A reason is required to undo a merge."))
    check_write(user, "change", merge.keep)
    check_write(user, "change", merge.duplicate)
    return unmerge(merge, reason=reason)


# --- pages -----------------------------------------------------------------------------------

REASON_LENGTH = 2000


class MergeForm(forms.Form):
    """Which of the two persons survives, and why they are one."""

    keep = forms.ChoiceField(label=gettext_lazy("Keep this record"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=gettext_lazy("Why are they the same person?"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept in the history of both records; required."),
    )
    first_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    second_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self, *args: Any, first: Person, second: Person, user: User | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "keep": str(first.pk),
                "first_version": first.version,
                "second_version": second.version,
            },
        )
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["keep"]).choices = [
            (str(first.pk), keep_label(user, first)),
            (str(second.pk), keep_label(user, second)),
        ]


def keep_label(user: User | None, person: Person) -> str:
    """A person as the "keep" choice names them: the name, the record's short id and where it
    came from (its identifiers in other systems, or when it was recorded), so that two records
    of the same name are told apart."""
    ids = restrict(user, "view", ExternalId.objects.filter(person=person)) if user else []
    origin = ", ".join(f"{x.scheme} {x.value}" for x in list(ids)[:2])
    if not origin and person.created_at:
        origin = _("recorded %(date)s") % {"date": display_date(person.created_at.date(), "day")}
    parts = [str(person), _("record %(id)s") % {"id": str(person.pk)[:8]}]
    return " · ".join([*parts, origin] if origin else parts)


class UnmergeForm(forms.Form):
    """Why a merge is undone."""

    reason = forms.CharField(
        label=gettext_lazy("Why undo this merge?"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _person_or_404(user: User, pk: Any) -> Person:
    try:
        return find_person(user, pk)
    except NotFound:
        raise Http404 from None


@login_required
@require_GET
def duplicates(request: SignedInRequest) -> HttpResponse:
    """Suggested duplicate pairs among the persons the user may change (``?q=`` narrows)."""
    query = request.GET.get("q", "").strip()[:200]
    context = {"pairs": suggested_pairs(request.user, query), "query": query, "seeds": SEEDS}
    return render(request, "merge/duplicates.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def compare_persons(request: SignedInRequest, first: Any, second: Any) -> HttpResponse:
    """Two persons side by side; POST merges them."""
    a = _person_or_404(request.user, first)
    b = _person_or_404(request.user, second)
    status = 200
    if request.method == "POST":
        form = MergeForm(request.POST, first=a, second=b, user=request.user)
        if form.is_valid():
            keep, duplicate = (a, b) if form.cleaned_data["keep"] == str(a.pk) else (b, a)
            versions = (
                (form.cleaned_data["first_version"], form.cleaned_data["second_version"])
                if keep is a
                else (form.cleaned_data["second_version"], form.cleaned_data["first_version"])
            )
            try:
                merge_for(
                    request.user,
                    keep,
                    duplicate,
                    reason=form.cleaned_data["reason"],
                    versions=versions,
                )
            except VigilError as exc:
                messages.error(request, exc.message)
                status = exc.status
                a = _person_or_404(request.user, a.pk)
                b = _person_or_404(request.user, b.pk)
                form = MergeForm(first=a, second=b, user=request.user)
            else:
                messages.success(
                    request,
                    _(
                        "“%(duplicate)s” was merged into “%(keep)s”. It can be undone from the "
                        "merge history."
                    )
                    % {"duplicate": duplicate, "keep": keep},
                )
                return redirect("web:person", keep.pk)
        else:
            status = 400
    else:
        form = MergeForm(first=a, second=b, user=request.user)
    context = {"c": comparison(request.user, a, b), "form": form}
    return render(request, "merge/compare.html", context, status=status)


def _history_page(request: SignedInRequest, person: Person, status: int = 200) -> HttpResponse:
    rows = [
        {"merge": m, "may_undo": not m.is_undone and may_merge(request.user, m.keep, m.duplicate)}
        for m in history_of(request.user, person)
    ]
    context = {"person": person, "rows": rows, "form": UnmergeForm()}
    return render(request, "merge/history.html", context, status=status)


@login_required
@require_GET
def history(request: SignedInRequest, pk: Any) -> HttpResponse:
    """The merges a person took part in, each undoable by those who may change both."""
    return _history_page(request, _person_or_404(request.user, pk))


@login_required
@require_POST
def undo(request: SignedInRequest, pk: Any) -> HttpResponse:
    """Undo one merge (POST only), then show the restored person's merge history."""
    try:
        merge = find_merge(request.user, pk)
    except NotFound:
        raise Http404 from None
    form = UnmergeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(_("A reason is required to undo a merge."))
        unmerge_for(request.user, merge, reason=form.cleaned_data["reason"])
    except VigilError as exc:
        messages.error(request, exc.message)
        return _history_page(request, merge.duplicate, status=exc.status)
    messages.success(
        request,
        _("The merge was undone: “%(person)s” is a record of its own again.")
        % {"person": merge.duplicate},
    )
    return redirect("merge:history", merge.duplicate_id)
