"""The audit log pages: browse and export (read-only everywhere, including here)."""

from datetime import datetime, time, timedelta
from typing import cast

from django import forms
from django.apps import apps
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ganxun.accounts.policies import can_view_audit
from ganxun.core.exports import audited_download
from ganxun.core.forms import StyledForm
from ganxun.core.http import page_or_partial, paginate, require
from ganxun.core.models import AuditEntry
from ganxun.core.retention import audit_xlsx, retention_days


class AuditFilterForm(StyledForm):
    user = forms.CharField(label=gettext_lazy("操作人"), required=False)
    object_type = forms.ChoiceField(label=gettext_lazy("对象类型"), required=False)
    action = forms.ChoiceField(
        label=gettext_lazy("操作"),
        required=False,
        choices=[("", gettext_lazy("全部操作")), *AuditEntry.Action.choices],
    )
    date_from = forms.DateField(
        label=gettext_lazy("起"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("止"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["object_type"]).choices = [
            ("", gettext_lazy("全部对象")),
            *audited_model_choices(),
        ]


def audited_model_choices() -> list[tuple[str, str]]:
    """Every model of the project's own apps, named as users know it."""
    models = [m for m in apps.get_models() if m.__module__.startswith("ganxun.")]
    choices = {
        m._meta.label_lower: f"{m._meta.verbose_name}（{m._meta.label_lower}）" for m in models
    }
    return sorted(choices.items(), key=lambda item: item[0])


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _audit_visible_to(actor):
    """The root's administrators see everything; others see what their subtree's users did."""
    if actor.org.parent_id is None:
        return AuditEntry.objects.all()
    return AuditEntry.objects.filter(actor__org__path__startswith=actor.org.path)


def _filtered_entries(request):
    form = AuditFilterForm(request.GET)
    entries = _audit_visible_to(request.user)
    if form.is_valid():
        d = form.cleaned_data
        if d["user"]:
            entries = entries.filter(actor_name__icontains=d["user"].strip())
        if d["object_type"]:
            entries = entries.filter(object_type=d["object_type"])
        if d["action"]:
            entries = entries.filter(action=d["action"])
        if d["date_from"]:
            entries = entries.filter(at__gte=_day_start(d["date_from"]))
        if d["date_to"]:
            entries = entries.filter(at__lt=_day_start(d["date_to"]) + timedelta(days=1))
    return form, entries


@require(can_view_audit)
def audit_list(request):
    """Administrators browse the log; it is read-only everywhere, including here."""
    form, entries = _filtered_entries(request)
    context = {
        "form": form,
        "page": paginate(request, entries),
        "query": request.GET.urlencode(),
        "retention_days": retention_days(),
    }
    return page_or_partial(request, "core/audit_list.html", "core/_audit_table.html", context)


@require(can_view_audit)
def audit_export(request):
    """The filtered log as Excel, stamped with who exported it; the export is itself logged."""
    _form, entries = _filtered_entries(request)
    content, rows = audit_xlsx(request.user, entries, what="审计日志")
    return audited_download(
        actor=request.user,
        content=content,
        filename=f"audit-{timezone.localtime():%Y%m%d-%H%M}.xlsx",
        object_type="core.auditentry",
        object_repr=f"审计日志导出 {rows} 条",
        changes={"filter": [None, request.GET.urlencode()]},
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"audit-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
