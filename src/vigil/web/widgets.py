"""Form widgets drawn in Python where Django's templates cost too much per page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from vigil.core.day_input import DayInput


def _attrs(attrs: dict[str, Any]) -> SafeString:
    """``django/forms/widgets/attrs.html`` in Python: `` name="value"``, `` name`` for True."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


# The ``<select>``s drawn from cached options, by what decides their HTML: a list page's ~240
# options drawn once per process and options' reading, not once per page.
DRAWN_MAX = 256
_DRAWN: dict[Any, SafeString] = {}


class FastSelect(forms.Select):
    """A ``<select>`` with the same HTML as Django's ``select.html``, built without templates.

    A list's filter form has about 240 options; Django renders each through two template
    includes, which cost more than the 25 rows of the page.
    """

    #: Set by ``vigil.web.filters.cached_options``: what identifies this widget's options
    #: (the cache key, when they were read, the shared generation). None: drawn every time.
    options_key: Any = None

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        key = self._drawing_key(name, value, attrs)
        if key is None:
            return self._draw(name, value, attrs)
        found = _DRAWN.get(key)
        if found is None:
            if len(_DRAWN) >= DRAWN_MAX:
                _DRAWN.clear()
            found = _DRAWN[key] = self._draw(name, value, attrs)
        return found

    def _drawing_key(self, name: str, value: Any, attrs: dict[str, Any] | None) -> Any:
        """What decides this ``<select>``'s HTML, when its options are cached; else None."""
        if self.options_key is None or not isinstance(value, str | int | None):
            return None
        try:
            return (
                self.options_key,
                type(self),
                name,
                type(value),
                value,
                tuple(sorted(self.attrs.items())),
                tuple(sorted((attrs or {}).items())),
            )
        except TypeError:  # an unhashable or unorderable attribute: draw it
            return None

    def _draw(self, name: str, value: Any, attrs: dict[str, Any] | None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, group_choices, _index in widget["optgroups"]:
            options = format_html_join(
                "",
                '\n  <option value="{}"{}>{}</option>\n',
                (
                    (str(option["value"]), _attrs(option["attrs"]), option["label"])
                    for option in group_choices
                ),
            )
            if group_name:
                options = format_html(
                    '\n  <optgroup label="{}">{}\n  </optgroup>', group_name, options
                )
            groups.append((options,))
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attrs(widget["attrs"]),
            format_html_join("", "{}", groups),
        )


class _PythonDrawnInput(forms.widgets.Input):
    """An ``<input>`` with the HTML of Django's ``input.html``, built without templates (the
    template renderer strips what it draws: no newline after the tag)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = widget["value"]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            format_html(' value="{}"', shown) if shown is not None else "",
            _attrs(widget["attrs"]),
        )


class FastTextInput(_PythonDrawnInput, forms.TextInput):
    """Django's ``TextInput``, drawn in Python (a list's filter form draws it on every page)."""


class FastDateInput(_PythonDrawnInput, forms.DateInput):
    """Django's ``DateInput``, drawn in Python."""


class FastDayInput(_PythonDrawnInput, DayInput):
    """A day in the page's language (:class:`vigil.core.day_input.DayInput`), drawn in Python."""


class FastCheckboxInput(_PythonDrawnInput, forms.CheckboxInput):
    """Django's ``CheckboxInput``, drawn in Python."""
