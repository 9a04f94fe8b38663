"""The absence list of a session as .xlsx (Excel/WPS), one sheet, grouped by unit."""

import io

from django.utils import timezone

from ganxun.core.exports import safe_workbook, stamp_workbook

HEADERS = ["单位", "姓名", "职务", "手机"]
WIDTHS = [28, 10, 24, 14]


def write_absences_xlsx(actor, session, groups) -> bytes:
    buffer = io.BytesIO()
    book = safe_workbook(buffer, in_memory=True)
    sheet = book.add_worksheet("缺勤名单")
    title = book.add_format({"bold": True, "font_size": 13})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = book.add_format({"num_format": "@"})
    start = timezone.localtime(session.starts_at)
    sheet.write_string(
        0, 0, f"{session.title} · {start:%Y-%m-%d %H:%M} · 缺勤名单（不含已批准请假）", title
    )
    for col, (name, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
        sheet.write_string(2, col, name, header)
        sheet.set_column(col, col, width)
    row = 2
    for unit, trainees in groups:
        for t in trainees:
            row += 1
            values = [unit, t.cadre.name, t.cadre.position, t.cadre.phone]
            for col, value in enumerate(values):
                sheet.write_string(row, col, value or "", text)
    sheet.write_string(row + 2, 0, f"缺勤合计 {row - 2} 人")
    sheet.freeze_panes(3, 0)
    stamp_workbook(book, actor, what=f"{session.title} 缺勤名单")
    book.close()
    return buffer.getvalue()
