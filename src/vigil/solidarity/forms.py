"""The forms of the monitoring, campaign and calendar pages (parsing only; services decide)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.core.day_input import ClockInput, DayField
from vigil.core.models import Confidentiality
from vigil.solidarity.models import (
    Access,
    Answer,
    HearingKind,
    InternationalDateKind,
    StatementKind,
)

if TYPE_CHECKING:
    from vigil.accounts.models import User
    from vigil.records.models import Term


class HearingForm(forms.Form):
    case = forms.ChoiceField(label=_("Case"))
    date = DayField(label=_("Date"))
    time = forms.TimeField(label=_("Time"), required=False, widget=ClockInput)
    kind = forms.ChoiceField(label=_("Kind of hearing"), choices=HearingKind.choices)
    court = forms.ChoiceField(label=_("Court"), required=False)
    court_text = forms.CharField(label=_("Court as stated"), max_length=300, required=False)
    judge = forms.ChoiceField(label=_("Judge"), required=False)
    prosecutor = forms.ChoiceField(label=_("Prosecutor"), required=False)
    appeal_deadline = DayField(label=_("Appeal deadline"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        options: Mapping[str, Iterable[tuple[Any, str]]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (options or {}).items():
            blank = [] if name == "case" else [("", "—")]
            field = cast(forms.ChoiceField, self.fields[name])
            field.choices = [*blank, *[(str(pk), label) for pk, label in choices]]


class AssignForm(forms.Form):
    observer = forms.ChoiceField(label=_("Observer"))

    def __init__(self, *args: Any, users: Sequence[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["observer"])
        field.choices = [(str(u.pk), u.get_username()) for u in users or []]


class ReportForm(forms.Form):
    access = forms.ChoiceField(label=_("Observer's access"), choices=Access.choices)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), required=False, min_value=1, max_value=1440
    )
    motions_refused = forms.IntegerField(
        label=_("Defence motions refused"), required=False, min_value=0, max_value=1000
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, items: Sequence[Term] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *Answer.choices]
        for term in items or []:
            self.fields[f"check_{term.key}"] = forms.ChoiceField(
                label=term.label(), choices=choices, required=False
            )

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix("check_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("check_") and value
        }


class StatementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=StatementKind.choices)
    date = DayField(label=_("Date"), required=False)
    # Chosen with the organisation picker (radio buttons the search offers), not typed.
    author = forms.UUIDField(label=_("By (organisation)"), required=False)
    author_text = forms.CharField(label=_("By (as stated)"), max_length=300, required=False)
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    edition_year = forms.IntegerField(
        label=_("Day of the Endangered Lawyer (year)"),
        required=False,
        min_value=2009,
        max_value=2100,
    )
    cases = forms.MultipleChoiceField(
        label=_("Cases concerned"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    signatories = forms.CharField(
        label=_("Signatories (one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    followed = forms.CharField(
        label=_("What followed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    followed_date = DayField(label=_("What followed: date"), required=False)
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=Confidentiality.choices, initial="internal"
    )

    def __init__(
        self, *args: Any, cases: Iterable[tuple[Any, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.MultipleChoiceField", self.fields["cases"])
        field.choices = [(str(pk), title) for pk, title in cases or []]


class EditionForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2009, max_value=2100)
    focus_country = forms.CharField(label=_("Focus country (ISO code)"), max_length=2, min_length=2)
    theme = forms.CharField(label=_("Theme"), max_length=300, required=False)


class InternationalDateForm(forms.Form):
    date = DayField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=InternationalDateKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    url = forms.URLField(
        label=_("Link to the announcement"), max_length=500, required=False, assume_scheme="https"
    )


def ids(text: str) -> list[str]:
    """Ids separated by commas, spaces or new lines."""
    return [p for p in text.replace(",", " ").split() if p]
