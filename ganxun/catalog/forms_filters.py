"""The filters of every catalogue list (text, theme, form, status, type, kind, owner org)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ganxun.catalog import selectors
from ganxun.catalog.models import Course, Lecturer, Material, TeachingForm
from ganxun.catalog.selectors import Filters
from ganxun.core.forms import StyledForm


def _blank(label):
    return [("", label)]


class FilterForm(StyledForm):
    """Every list's filters; each list keeps the fields it uses (``keys``)."""

    q = forms.CharField(
        required=False,
        label=_("搜索"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("关键词")}),
    )
    theme = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("专题"))
    form = forms.ChoiceField(
        required=False, label=_("教学形式"), choices=_blank(_("全部形式")) + TeachingForm.choices
    )
    status = forms.ChoiceField(required=False, label=_("状态"))
    kind = forms.ChoiceField(required=False, label=_("类型"))
    external = forms.ChoiceField(
        required=False,
        label=_("内部/外聘"),
        choices=[("", _("内部及外聘")), ("0", _("内部")), ("1", _("外聘"))],
    )
    region = forms.ChoiceField(
        required=False,
        label=_("域内/域外"),
        choices=[("", _("域内及域外")), ("in", _("域内")), ("out", _("域外"))],
    )
    owner = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("来源"))

    def __init__(self, data, *, actor, keys, status_choices=(), kind_choices=(), **kwargs):
        super().__init__(data, **kwargs)
        for name in list(self.fields):
            if name not in keys:
                del self.fields[name]
            else:
                self.fields[name].widget.attrs["aria-label"] = str(self.fields[name].label)
        if "theme" in self.fields:
            themes = selectors.theme_choices(actor)
            self.fields["theme"].choices = _blank(_("全部专题")) + [(t.pk, t.name) for t in themes]
        if "owner" in self.fields:
            owners = [(o.pk, o.name) for o in selectors.owner_choices(actor)]
            self.fields["owner"].choices = _blank(_("全部来源")) + owners
        if "status" in self.fields:
            self.fields["status"].choices = _blank(_("全部状态")) + list(status_choices)
        if "kind" in self.fields:
            self.fields["kind"].choices = _blank(_("全部类型")) + list(kind_choices)

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        d = self.cleaned_data
        return Filters(
            q=(d.get("q") or "").strip(),
            owner=d.get("owner"),
            theme=d.get("theme"),
            form=d.get("form") or "",
            status=d.get("status") or "",
            kind=d.get("kind") or "",
            external=d.get("external") or "",
            region=d.get("region") or "",
        )


def course_filter_form(actor, data) -> FilterForm:
    return FilterForm(
        data,
        actor=actor,
        keys=("q", "theme", "form", "status", "owner"),
        status_choices=Course.Status.choices,
    )


def lecturer_filter_form(actor, data) -> FilterForm:
    return FilterForm(
        data,
        actor=actor,
        keys=("q", "kind", "external", "status", "owner"),
        kind_choices=Lecturer.Kind.choices,
        status_choices=[("active", _("在库")), ("inactive", _("不在库"))],
    )


def site_filter_form(actor, data) -> FilterForm:
    kinds = [(k, k) for k in selectors.site_kinds(actor)]
    return FilterForm(data, actor=actor, keys=("q", "kind", "owner"), kind_choices=kinds)


def base_filter_form(actor, data) -> FilterForm:
    return FilterForm(data, actor=actor, keys=("q", "region", "owner"))


def material_filter_form(actor, data) -> FilterForm:
    return FilterForm(
        data,
        actor=actor,
        keys=("q", "kind", "theme", "owner"),
        kind_choices=Material.Kind.choices,
    )
