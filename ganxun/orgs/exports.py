"""The roster as an .xlsx that opens cleanly in Excel and WPS."""

import io
from datetime import datetime

import xlsxwriter
from django.utils import timezone

from ganxun.accounts.policies import can_see_full_id_number

ROSTER_HEADERS = [
    "姓名",
    "性别",
    "身份证号",
    "出生年月",
    "单位",
    "职务",
    "职级",
    "人员类别",
    "班子角色",
    "手机",
    "状态",
    "备注",
]


def roster_rows(actor, cadres):
    full = can_see_full_id_number(actor)
    for c in cadres.iterator(chunk_size=2000):
        yield [
            c.name,
            c.get_gender_display(),
            c.id_number if full else c.id_number_masked,
            c.birth_date,
            c.unit.name,
            c.position,
            c.get_rank_display(),
            "、".join(cat.name for cat in c.categories.all()),
            c.get_leader_role_display() if c.leader_role else "",
            c.phone,
            c.get_status_display(),
            c.note,
        ]


def write_roster_xlsx(actor, cadres) -> bytes:
    """ID numbers are written as text (never numbers, which Excel would round), dates as dates."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet("干部名册")
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = book.add_format({"num_format": "@"})
    month = book.add_format({"num_format": "yyyy.mm"})
    for col, (title, width) in enumerate(zip(ROSTER_HEADERS, _WIDTHS, strict=True)):
        sheet.write_string(0, col, title, header)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    row = 0
    for row, values in enumerate(roster_rows(actor, cadres), start=1):
        for col, value in enumerate(values):
            if col == 3:
                sheet.write_datetime(row, col, datetime.combine(value, datetime.min.time()), month)
            else:
                sheet.write_string(row, col, value or "", text if col in (2, 9) else None)
    sheet.autofilter(0, 0, max(row, 1), len(ROSTER_HEADERS) - 1)
    sheet.set_footer(
        f"&L导出人：{actor.username}  导出时间：{timezone.localtime():%Y-%m-%d %H:%M}&R第 &P 页"
    )
    book.close()
    return buffer.getvalue()


_WIDTHS = [10, 6, 22, 10, 28, 24, 14, 20, 14, 14, 8, 20]
