"""Form fields of the entry forms: uncertain dates, vocabulary pickers, legal citations."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from vigil.entry.pickers import term_key, term_options
from vigil.entry.preselect import NEW as NEW_PERSON
from vigil.records.citations import CitationError, parse_citation
from vigil.records.date_input import DateInput, DateInputError, parse_date_input


class UncertainDateField(forms.CharField):
    """A date as the documenter knows it: "5.3.2021", "March 2021", "2011", "unknown"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault(
            "help_text",
            _("As precisely as it is known: 5.3.2021, March 2021, 2011, between 2019 and 2020."),
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "off", "inputmode": "text", "class": "input-date"})
        return attrs

    def clean(self, value: Any) -> DateInput | None:
        text = super().clean(value)
        try:
            return parse_date_input(text)
        except DateInputError as error:
            raise forms.ValidationError(error.message, code="date") from None


class TermPickerField(forms.CharField):
    """A vocabulary term typed or picked from a searchable list; validated on the server.

    Without JavaScript the browser's own ``<datalist>`` still offers every label; the value
    may be the term's key or its label in any of the three languages.
    """

    def __init__(self, vocabulary: str, **kwargs: Any) -> None:
        self.vocabulary = vocabulary
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update(
            {
                "autocomplete": "off",
                "list": f"terms-{self.vocabulary}",
                # htmx narrows the list by a label in any language as the user types.
                "hx-get": reverse_lazy("entry:terms", args=[self.vocabulary]),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": f"#terms-{self.vocabulary}",
                "hx-swap": "innerHTML",
            }
        )
        return attrs

    def options(self) -> list[Any]:
        """Every term, labelled in the current language, for the ``<datalist>``."""
        return term_options(self.vocabulary)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return ""
        key = term_key(self.vocabulary, text)
        if key is None:
            raise forms.ValidationError(
                _("“%(value)s” is not in the list; pick one of the suggestions."),
                code="term",
                params={"value": text},
            )
        return key


class CitationField(forms.CharField):
    """A legal citation as written: "Part 2 of Art. 243 of the Criminal Code", "ч. 2 ст. 243 УК"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update(
            {
                "autocomplete": "off",
                "list": "provision-options",
                "hx-get": reverse_lazy("entry:provisions"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#provision-options",
                "hx-swap": "innerHTML",
            }
        )
        return attrs

    def clean(self, value: Any) -> str:
        text: str = super().clean(value)
        if text:
            try:
                parse_citation(text)
            except CitationError as error:
                raise forms.ValidationError(error.message, code="citation") from None
        return text


class PersonChoiceField(forms.CharField):
    """The person chosen in a picker: a recorded person's id, "new" (an explicit choice to
    record a new person), or nothing chosen yet. Rendered as radio buttons by the picker."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> uuid.UUID | str | None:
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        if text == NEW_PERSON:
            return NEW_PERSON
        try:
            return uuid.UUID(text)
        except ValueError:
            message = _("Choose a person from the list.")
            raise forms.ValidationError(message, code="person") from None
