"""The searchable picker: one typeahead for organizations, cadres, lecturers and courses.

A large ``<select>`` (1,794 organizations, 50,000 cadres) weighs 100+ KB and takes seconds to lay
out on a phone. ``PickerWidget`` replaces it on any ``ModelChoiceField`` or
``ModelMultipleChoiceField``: it renders only the chosen values (as removable chips carrying
hidden inputs) and a search box that asks ``/pick/<kind>/?q=`` for at most ``LIMIT`` matches.
The field keeps its scoped queryset, so validation is unchanged: a value outside it is refused
as before.

Apps register a ``PickerSource`` per kind (``orgs/pickers.py``, ``catalog/pickers.py``); core
imports no app. A source answers only within the actor's scope (its queryset is built with
``visible_to(actor)``), so the picker is never a way around scoping.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

if TYPE_CHECKING:  # core imports no app at run time
    from ganxun.accounts.models import User

LIMIT = 20
MAX_QUERY = 50  # longer input is cut: no name or code is longer


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class PickerSource:
    """``search(actor, query, within)`` returns a queryset of matches (already scoped and
    ordered); ``choice(obj)`` says how one match reads."""

    search: Callable[..., QuerySet]
    choice: Callable[[object], Choice]


SOURCES: dict[str, PickerSource] = {}


def register_picker(kind: str, source: PickerSource) -> None:
    SOURCES[kind] = source


def clean_query(raw: str | None) -> str:
    """Whitespace folded, control characters dropped (PostgreSQL refuses a NUL byte), cut."""
    printable = "".join(ch if ch.isprintable() else " " for ch in raw or "")
    return " ".join(printable.split())[:MAX_QUERY]


def picker_choices(
    actor: "User", kind: str, raw_query: str | None, within: str = ""
) -> tuple[list[Choice], bool]:
    """At most LIMIT matches visible to the actor, and whether there were more; ([], False) for
    an unknown kind."""
    source = SOURCES.get(kind)
    if source is None or actor is None or not actor.is_authenticated:
        return [], False
    within = within if within.isdigit() and len(within) < 19 else ""
    found = list(source.search(actor, clean_query(raw_query), within=within)[: LIMIT + 1])
    return [source.choice(obj) for obj in found[:LIMIT]], len(found) > LIMIT


class PickerWidget(forms.Widget):
    """Drop-in widget for model choice fields; see the module docstring."""

    template_name = "core/widgets/picker.html"

    def __init__(self, kind: str, *, multiple: bool = False, within: str = "", attrs=None):
        super().__init__(attrs)
        self.kind = kind
        self.multiple = multiple
        self.within = within
        self.choices: Any = []  # the field's ModelChoiceIterator once use_picker ran

    def value_from_datadict(self, data, files, name):
        if self.multiple and hasattr(data, "getlist"):
            return [v for v in data.getlist(name) if v]
        return data.get(name) or None

    def value_omitted_from_data(self, data, files, name):
        return False if self.multiple else name not in data

    def format_value(self, value) -> list[str]:
        if value in (None, ""):
            return []
        values = value if isinstance(value, list | tuple | set) else [value]
        return [str(getattr(v, "pk", v)) for v in values if v not in (None, "")]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        attrs["class"] = " ".join(
            c for c in attrs.get("class", "").split() if c not in ("form-select", "form-control")
        )
        context["widget"].update(
            kind=self.kind,
            multiple=self.multiple,
            within=self.within,
            autosubmit="data-autosubmit" in attrs,
            selected=self._selected(context["widget"]["value"]),
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # the project's templates, not the form renderer's (which sees only Django's own)
        context = self.get_context(name, value, attrs)
        return mark_safe(render_to_string(self.template_name, context))

    def _selected(self, values: list[str]) -> list[Choice]:
        """Labels of the chosen values from the field's own (scoped) queryset: one query."""
        queryset = getattr(self.choices, "queryset", None)
        if not values or queryset is None:
            return []
        ids = [v for v in values if v.isdigit() and len(v) < 19]
        objects = {str(o.pk): o for o in queryset.filter(pk__in=ids)}
        source = SOURCES.get(self.kind)
        label_of = self.choices.field.label_from_instance
        out = []
        for value in values:
            obj = objects.get(value)
            if obj is not None:
                hint = source.choice(obj).hint if source else ""
                out.append(Choice(value=value, label=str(label_of(obj)).strip(), hint=hint))
        return out


def use_picker(field: forms.ModelChoiceField, kind: str, *, within: str = "") -> None:
    """Give a model choice field the picker (keeps its label, help and validation)."""
    multiple = isinstance(field, forms.ModelMultipleChoiceField)
    widget = PickerWidget(kind, multiple=multiple, within=within, attrs=field.widget.attrs)
    widget.is_required = field.required
    widget.choices = field.choices
    field.widget = widget
