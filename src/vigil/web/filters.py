"""The filter forms of the lists (plain GET forms) and how each narrows a queryset in SQL."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.choices import normalize_choices
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vigil.core import generations
from vigil.core.day_input import DayField
from vigil.core.models import Confidentiality
from vigil.policy.access import exact_ceiling, restrict
from vigil.records.custody import Custody
from vigil.records.models import LegalProvision, Organisation, Term
from vigil.records.models.cases import CaseStatus
from vigil.web.widgets import FastCheckboxInput, FastDayInput, FastSelect, FastTextInput

if TYPE_CHECKING:
    from vigil.accounts.types import User

CUSTODY_CHOICES = [
    ("", _("any")),
    (Custody.IN_CUSTODY.value, _("in custody")),
    (Custody.TERM_ENDED.value, _("term ended, release not recorded")),
    (Custody.RESTRICTED.value, _("restricted liberty")),
    (Custody.NOT_IN_CUSTODY.value, _("not in custody")),
    (Custody.DIED_IN_CUSTODY.value, _("died in custody")),
    (Custody.UNKNOWN.value, _("unknown")),
]
LEVEL_CHOICES = [("", _("any")), *Confidentiality.choices]


# Options of the filter pickers, per (field, language, ceiling): rendering ~240 options from
# the database on every list page cost more than the page's rows. Kept a minute per process,
# and only while the shared generation (vigil.core.generations) is the one they were read at:
# a term, provision or organisation saved on any host makes every host read them again.
OPTIONS_SECONDS = 60.0
OPTIONS_GENERATION = "filter-options"
_OPTIONS: dict[tuple[Any, ...], tuple[float, int, list[Any]]] = {}


def cached_options(
    field: forms.ModelChoiceField,
    *key: Any,
    generation: int | None = None,
    queryset: Callable[[], QuerySet[Any]] | None = None,
) -> None:
    """Give ``field`` the options cached under ``key`` (read them when missing, old or stale).

    ``generation``: the shared generation, when the caller has read it for several fields.
    ``queryset``: makes the field's queryset when its options are read here (not cached, or
    read again); a field whose queryset is not needed keeps the one it has.

    Validation still goes through the field's queryset: a cached option never lets a user pick
    a record they may not view. ``key`` must hold what decides the options (the user's exact
    ceiling for restricted pickers; a user with grants or own records above it: not cached).
    """
    if None in key:
        if queryset is not None:
            field.queryset = queryset()  # drawn from the field's own (restricted) queryset
        return
    now = time.monotonic()
    if generation is None:
        generation = generations.current(OPTIONS_GENERATION)
    hit = _OPTIONS.get(key)
    if hit is None or now - hit[0] > OPTIONS_SECONDS or hit[1] != generation:
        if queryset is not None:
            field.queryset = queryset()
        options = field.choices  # read now: the field's queryset, through its iterator
        if not isinstance(options, Iterable):  # a ChoiceField stores even a callable wrapped
            raise TypeError(f"options of {field!r} are not iterable")
        # Iterated, not measured: list() would ask a model field's options for their length,
        # a COUNT query per picker before the query that reads them.
        hit = (now, generation, normalize_choices([*iter(options)]))
        _OPTIONS[key] = hit
    # What ``field.choices = ...`` leaves, without normalising ~240 options twice per page (the
    # field's setter and the widget's): the cached list is only ever read.
    field._choices = field.widget._choices = hit[2]  # type: ignore[attr-defined]
    # The same options draw the same <select> (for the same name, value and attributes).
    field.widget.options_key = (key, hit[0], generation)


def forget_options(*args: Any, **kwargs: Any) -> None:
    """Drop this process's cached options (``options_changed`` also tells the other hosts)."""
    _OPTIONS.clear()


def options_changed(*args: Any, **kwargs: Any) -> None:
    """A term, provision or organisation was saved: drop the options here and, through the
    shared generation, on every other host."""
    _OPTIONS.clear()
    generations.bump_after_commit(OPTIONS_GENERATION)


class TermChoiceField(forms.ModelChoiceField):
    """A vocabulary picker labelled in the user's language, keyed by the term's key."""

    widget = FastSelect

    def __init__(self, vocabulary: str, **kwargs: Any) -> None:
        self.vocabulary = vocabulary
        super().__init__(
            Term.objects.filter(vocabulary=vocabulary).order_by("label_en"),
            to_field_name="key",
            required=False,
            empty_label=_("any"),
            **kwargs,
        )

    def label_from_instance(self, obj: Term) -> str:
        return obj.label()


class ListFilterForm(forms.Form):
    """Fields every list has: free text and confidentiality."""

    q = forms.CharField(
        label=_("Name or title contains"), required=False, max_length=200, widget=FastTextInput
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=LEVEL_CHOICES, required=False, widget=FastSelect
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user


class ActFilterForm(ListFilterForm):
    """Adds what narrows the acts behind a row: type, dates, provision, court."""

    act_type = TermChoiceField("act_type", label=_("Type of act"))
    date_from = DayField(label=_("Acts from"), required=False, widget=FastDayInput)
    date_to = DayField(label=_("Acts until"), required=False, widget=FastDayInput)
    provision = forms.ModelChoiceField(
        LegalProvision.objects.none(), label=_("Legal provision"), required=False, widget=FastSelect
    )
    court = forms.ModelChoiceField(
        Organisation.objects.none(), label=_("Court"), required=False, widget=FastSelect
    )
    needs_review = forms.BooleanField(
        label=_("Needs review (a source value kept as written)"),
        required=False,
        widget=FastCheckboxInput,
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        provisions = self.fields["provision"]
        courts = self.fields["court"]
        assert isinstance(provisions, forms.ModelChoiceField)
        assert isinstance(courts, forms.ModelChoiceField)
        provisions.empty_label = str(_("any"))
        courts.empty_label = str(_("any"))

        def visible_provisions() -> QuerySet[Any]:
            return restrict(user, "view", LegalProvision.objects.all())

        def visible_courts() -> QuerySet[Any]:
            court = Term.pk_for("organisation_kind", "court")
            rows = Organisation.objects.filter(kind_id=court)
            return restrict(user, "view", rows).order_by("display_name")

        # The restricted querysets are built only when used: to read a chosen value (validation
        # goes through them) or options not cached. Otherwise the fields keep their class's
        # empty queryset (deny by default) and draw the cached options.
        for picker, rows in ((provisions, visible_provisions), (courts, visible_courts)):
            if self._chosen(picker):
                picker.queryset = rows()
        level, language = exact_ceiling(user), get_language()
        shared = generations.current(OPTIONS_GENERATION)  # one read for every picker
        for name in self.fields:
            field = self.fields[name]
            if isinstance(field, TermChoiceField):
                cached_options(field, field.vocabulary, language, generation=shared)
        cached_options(
            provisions, "provision", language, level, generation=shared, queryset=visible_provisions
        )
        cached_options(
            courts, "court", language, level, generation=shared, queryset=visible_courts
        )

    def _chosen(self, field: forms.Field) -> bool:
        """Whether the form's data holds a value for ``field`` (its widget reads it)."""
        if not self.is_bound:
            return False
        name = next(n for n, f in self.fields.items() if f is field)
        value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        return value not in field.empty_values


class PersonFilterForm(ActFilterForm):
    custody = forms.ChoiceField(
        label=_("Custody"), choices=CUSTODY_CHOICES, required=False, widget=FastSelect
    )


class PerpetratorFilterForm(ActFilterForm):
    role = TermChoiceField("perpetrator_role", label=_("Role"))


class OrganisationFilterForm(ActFilterForm):
    kind = TermChoiceField("organisation_kind", label=_("Kind"))


class CaseFilterForm(ActFilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("any")), *CaseStatus.choices],
        required=False,
        widget=FastSelect,
    )


EventFilterForm = ActFilterForm


def by_level(queryset: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
    """``queryset`` cut to the chosen confidentiality, when one is chosen."""
    level = data.get("confidentiality")
    return queryset.filter(confidentiality=level) if level else queryset


def text_filter(queryset: QuerySet[Any], field: str, text: str) -> QuerySet[Any]:
    """Rows whose ``field`` contains ``text`` (blank: all)."""
    text = " ".join((text or "").split())
    return queryset.filter(Q(**{f"{field}__icontains": text})) if text else queryset
