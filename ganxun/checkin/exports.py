"""The absence list of a session as .xlsx (Excel/WPS), one sheet, grouped by unit."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.core.exports import safe_workbook, stamp_workbook

HEADERS = [gettext_lazy("单位"), gettext_lazy("姓名"), gettext_lazy("职务"), gettext_lazy("手机")]
WIDTHS = [28, 10, 24, 14]


def write_absences_xlsx(actor, session, groups) -> bytes:
    buffer = io.BytesIO()
    book = safe_workbook(buffer, in_memory=True)
    sheet = book.add_worksheet(_("缺勤名单"))
    title = book.add_format({"bold": True, "font_size": 13})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = book.add_format({"num_format": "@"})
    start = timezone.localtime(session.starts_at)
    heading = _("%(title)s · %(start)s · 缺勤名单（不含已批准请假）") % {
        "title": session.title,
        "start": f"{start:%Y-%m-%d %H:%M}",
    }
    sheet.write_string(0, 0, heading, title)
    for col, (name, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
        sheet.write_string(2, col, str(name), header)
        sheet.set_column(col, col, width)
    row = 2
    for unit, trainees in groups:
        for t in trainees:
            row += 1
            values = [unit, t.cadre.name, t.cadre.position, t.cadre.phone]
            for col, value in enumerate(values):
                sheet.write_string(row, col, value or "", text)
    sheet.write_string(row + 2, 0, _("缺勤合计 %(n)s 人") % {"n": row - 2})
    sheet.freeze_panes(3, 0)
    stamp_workbook(book, actor, what=_("%(title)s 缺勤名单") % {"title": session.title})
    book.close()
    return buffer.getvalue()
