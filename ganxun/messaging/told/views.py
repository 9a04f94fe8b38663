"""Who was told: one message's recipients (filter by status, resend to the failed, export) and a
person's own notice history. A program's list of messages is the program's tab 通知记录
(``programs/views/told.py``), over ``selectors.program_messages`` and ``counts_of``."""

import io

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core.exports import audited_download, safe_workbook, stamp_workbook
from ganxun.core.http import action_view, paginate, require
from ganxun.messaging.models import Delivery
from ganxun.messaging.told import policies, selectors, services

EXPORT_CHUNK = 1000


@require(policies.can_see_told)
def message_told(request, pk):
    message = selectors.get_message_for(request.user, pk)
    status = request.GET.get("status", "")
    if status not in dict(selectors.FILTERS):
        status = ""
    counts = selectors.counts_of([message])[message.pk]
    page = paginate(request, selectors.recipients(message, status=status), 50)
    channels = selectors.channels_used(counts)
    labels = dict(_channel_labels())
    rows = [
        (row, [(row.channels.get(code), row.masked(code)) for code in channels])
        for row in selectors.recipient_rows(message, page.object_list)
    ]
    context = {
        "message": message,
        "counts": counts,
        "channels": [(code, labels.get(code, code), counts.channels[code]) for code in channels],
        "page": page,
        "rows": rows,
        "status": status,
        "filters": selectors.FILTERS,
    }
    return render(request, "messaging/told_message.html", context)


message_resend = action_view(
    policies.can_see_told,
    get=selectors.get_message_for,
    call=lambda request, message: services.message_resend_failed(
        actor=request.user, message=message
    ),
    success=lambda message, n: _("已重新发送 %(n)s 条失败的消息。") % {"n": n},
    to=lambda message: reverse("told:message", args=[message.pk]),
)


def _status_text(delivery: Delivery | None) -> str:
    if delivery is None:
        return ""
    text = str(delivery.get_status_display())
    return f"{text}：{delivery.last_error}" if delivery.last_error else text


@require(policies.can_see_told)
def message_export(request, pk):
    message = selectors.get_message_for(request.user, pk)
    counts = selectors.counts_of([message])[message.pk]
    channels = selectors.channels_used(counts)
    labels = dict(_channel_labels())
    out = io.BytesIO()
    book = safe_workbook(out, in_memory=True)
    sheet = book.add_worksheet(_("收件人"))
    header = [_("姓名"), _("单位"), _("站内消息已读")]
    for code in channels:
        name = labels.get(code, code)
        header += [
            _("%(channel)s状态") % {"channel": name},
            _("%(channel)s地址") % {"channel": name},
        ]
    sheet.write_row(0, 0, header)
    row_number = 1
    inapp = selectors.recipients(message)
    for start in range(0, message.recipients or 0, EXPORT_CHUNK):
        chunk = list(inapp[start : start + EXPORT_CHUNK])
        for row in selectors.recipient_rows(message, chunk):
            read = timezone.localtime(row.read_at).strftime("%Y-%m-%d %H:%M") if row.read_at else ""
            values = [row.name, row.unit, read]
            for code in channels:
                values += [_status_text(row.channels.get(code)), row.masked(code)]
            sheet.write_row(row_number, 0, values)
            row_number += 1
    stamp_workbook(book, request.user, what=_("通知记录：%(title)s") % {"title": message.title})
    book.close()
    return audited_download(
        actor=request.user,
        content=out.getvalue(),
        filename=f"told-{message.pk}.xlsx",
        obj=message,
        changes={"recipients": row_number - 1},
    )


def _channel_labels():
    return [
        ("inapp", _("站内消息")),
        ("sms", _("短信")),
        ("email", _("电子邮件")),
        ("wecom", _("企业微信")),
        ("dingtalk", _("钉钉")),
        ("zzd", _("浙政钉")),
    ]


@require(policies.can_see_own_history)
def my_history(request):
    page = paginate(request, selectors.my_history(request.user), 20)
    labels = dict(_channel_labels())
    rows = [
        (
            row,
            [
                (labels.get(code, code), d, selectors.masked(code, d.address))
                for code, d in row.channels
            ],
        )
        for row in selectors.history_rows(request.user, page.object_list)
    ]
    context = {"page": page, "rows": rows}
    return render(request, "messaging/told_mine.html", context)
