"""The form that attaches a file to a record; its file field comes last (see ``views.attach``)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.records.models import Source

NEW_SOURCE = "new"
DESCRIPTION_LENGTH = 4000


class AttachForm(forms.Form):
    """Description, the source the file belongs to, and the file itself."""

    description = forms.CharField(
        label=_("What the file shows"),
        required=False,
        max_length=DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    source = forms.ChoiceField(label=_("Source the file belongs to"))
    new_source_title = forms.CharField(
        label=_("Title of the new source"),
        required=False,
        max_length=500,
        help_text=_("Leave blank to use the file's name."),
    )
    # Last on purpose: the browser sends fields in order, so the others arrive before the file
    # and a refused upload still leaves the CSRF token and the choices readable.
    file = forms.FileField(label=_("File"), widget=forms.FileInput)

    def __init__(self, *args: Any, sources: list[Source], fixed_source: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.sources = {str(s.pk): s for s in sources}
        choices: list[tuple[str, Any]] = [(pk, s.title) for pk, s in self.sources.items()]
        if fixed_source:
            del self.fields["new_source_title"]
        else:
            choices.insert(0, (NEW_SOURCE, _("A new source for this file")))
        cast(forms.ChoiceField, self.fields["source"]).choices = choices
        self.fields["source"].initial = choices[0][0] if choices else NEW_SOURCE

    def chosen_source(self) -> Source | None:
        """The existing source chosen, or None for a new one."""
        return self.sources.get(self.cleaned_data["source"])
