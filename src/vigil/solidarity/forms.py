"""The forms of the monitoring, campaign and calendar pages (parsing only; services decide)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.core.day_input import ClockInput, DayField
from vigil.core.models import Confidentiality
from vigil.records.models import Case, Person
from vigil.solidarity.models import (
    Access,
    Answer,
    HearingKind,
    InternationalDateKind,
    StatementKind,
)
from vigil.solidarity.options import court_options, visible_choice

if TYPE_CHECKING:
    from vigil.accounts.models import User
    from vigil.records.models import Term


class IdListField(forms.Field):
    """The ids a picker's checkboxes submit, as strings; the service decides which may be used."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        return [str(v) for v in value or [] if str(v).strip()]


class HearingForm(forms.Form):
    """A hearing of a case: the case, judge and prosecutor are chosen with pickers that search
    the record (radio buttons named like the field), the court from the select of courts.

    Every id, offered or submitted, is read through the access policy: one the user may not
    view is a field error saying so, never a crash and never its title.
    """

    # Chosen with the pickers (radio buttons the searches offer), not typed.
    case = forms.UUIDField(label=_("Case"), required=False)
    date = DayField(label=_("Date"))
    time = forms.TimeField(label=_("Time"), required=False, widget=ClockInput)
    kind = forms.ChoiceField(label=_("Kind of hearing"), choices=HearingKind.choices)
    court = forms.ChoiceField(label=_("Court"), required=False)
    court_text = forms.CharField(label=_("Court as stated"), max_length=300, required=False)
    judge = forms.UUIDField(label=_("Judge"), required=False)
    prosecutor = forms.UUIDField(label=_("Prosecutor"), required=False)
    appeal_deadline = DayField(label=_("Appeal deadline"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    PICKED: ClassVar[dict[str, type[Case] | type[Person]]] = {
        "case": Case,
        "judge": Person,
        "prosecutor": Person,
    }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        field = cast(forms.ChoiceField, self.fields["court"])
        field.choices = [("", "—"), *[(str(pk), name) for pk, name in court_options(user)]]
        for name in self.PICKED:
            self.fields[name].error_messages["invalid"] = _("Choose one from the list.")

    def chosen(self) -> dict[str, list[Any]]:
        """The case, judge and prosecutor chosen (submitted, or preselected by the page), as the
        pickers show them: a list of the one record, empty unless the user may view it."""
        found = {n: visible_choice(self.user, m, self._raw(n)) for n, m in self.PICKED.items()}
        return {name: [] if record is None else [record] for name, record in found.items()}

    def _raw(self, name: str) -> Any:
        if self.is_bound:
            return self.data.get(self.add_prefix(name))
        return self.initial.get(name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        messages = {
            "case": _("This case is not one you may choose. Search for the case again."),
            "judge": _("This person is not one you may choose. Search for the judge again."),
            "prosecutor": _(
                "This person is not one you may choose. Search for the prosecutor again."
            ),
        }
        for name, model in self.PICKED.items():
            if name in self.errors:
                continue
            pk = data.get(name)
            if pk is None:
                continue
            found = visible_choice(self.user, model, pk)
            if found is None:
                self.add_error(name, messages[name])
            else:
                data[name] = found
        if "case" not in self.errors and data.get("case") is None:
            self.add_error("case", _("Choose the case the hearing belongs to."))
        return data


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
    # Chosen with the case picker (checkboxes the search offers), not listed in full.
    cases = IdListField(label=_("Cases concerned"), required=False)
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
