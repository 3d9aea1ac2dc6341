"""The case form: a case's own fields; its persons and events come as checked ids."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.core.models import Confidentiality
from vigil.entry.forms import ConfidentialityMixin
from vigil.records.entry import CaseInput
from vigil.records.models.cases import CaseStatus

if TYPE_CHECKING:
    from vigil.accounts.types import User

MAX_MEMBERS = 500


class CaseForm(ConfidentialityMixin, forms.Form):
    """Title, status, description and confidentiality of a case."""

    title = forms.CharField(label=_("Title"), max_length=300)
    status = forms.ChoiceField(label=_("Status"), choices=CaseStatus.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"),
        choices=Confidentiality.choices,
        initial=Confidentiality.INTERNAL.value,
        help_text=_("Who may read what you record. Internal unless a coordinator publishes it."),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_levels(user)

    def to_input(self, persons: list[str], events: list[str]) -> CaseInput:
        d = self.cleaned_data
        return CaseInput(
            title=d["title"],
            status=d["status"],
            description=d["description"],
            confidentiality=d["confidentiality"],
            persons=persons[:MAX_MEMBERS],
            events=events[:MAX_MEMBERS],
        )
