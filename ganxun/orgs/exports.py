"""The roster as an .xlsx that opens cleanly in Excel and WPS."""

import io
from datetime import datetime

from ganxun.core.exports import safe_workbook, stamp_workbook
from ganxun.orgs.models import Cadre, PersonnelCategory
from ganxun.orgs.policies import can_see_full_id_number

ROSTER_HEADERS = [
    "姓名",
    "性别",
    "身份证号",
    "出生年月",
    "单位",
    "现任职务",
    "职级",
    "对应层次",  # from the correspondence table; not read back by the import
    "人员类别",
    "标签",
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
            c.rank_title.name if c.rank_title_id else c.get_rank_display(),
            c.get_rank_display() if c.rank else "未能对应",
            c.personnel_category.name if c.personnel_category_id else "",
            "、".join(cat.name for cat in c.categories.all()),
            c.get_leader_role_display() if c.leader_role else "",
            c.phone,
            c.get_status_display(),
            c.note,
        ]


def write_roster_xlsx(actor, cadres) -> bytes:
    """ID numbers are written as text (never numbers, which Excel would round), dates as dates."""
    buffer = io.BytesIO()
    book = safe_workbook(buffer, constant_memory=True, in_memory=True)
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
                sheet.write_string(row, col, value or "", text if col in TEXT_COLUMNS else None)
    sheet.autofilter(0, 0, max(row, 1), len(ROSTER_HEADERS) - 1)
    stamp_workbook(book, actor, what="干部名册")
    book.close()
    return buffer.getvalue()


_WIDTHS = [10, 6, 22, 10, 28, 24, 14, 12, 18, 20, 14, 14, 8, 20]
TEXT_COLUMNS = (ROSTER_HEADERS.index("身份证号"), ROSTER_HEADERS.index("手机"))


# --- the blank import template --------------------------------------------------------------

# A valid number (so the example teaches the right shape) that the importer skips, so a template
# imported with its example row left in does not register a person called 张三.
TEMPLATE_EXAMPLE_ID = "110101198503011232"
TEMPLATE_EXAMPLE = [
    "张三",
    "男",
    TEMPLATE_EXAMPLE_ID,
    datetime(1985, 3, 1),
    "东湖镇",
    "党政办主任",
    "乡科级正职",
    "",
    "公务员",
    "年轻干部",
    "",
    "13800138000",
    "在职",
    "示例行，导入时自动跳过",
]
TEMPLATE_NOTES = [
    "1. 第 2 行是示例，可以保留或删除；从第 3 行起每行填写一名干部。",
    "2. “姓名”“身份证号”必填；新登记的干部还须填写“职级”。",
    "3. 身份证号列已设为文本格式，请勿改成数字格式，否则 Excel 会丢失后几位。",
    "4. 出生年月可写 1985.03、1985-03 或 1985年3月；留空则按身份证号填写。",
    "5. 单位填写全称或单位编码；标签（年轻干部、后备干部等）多个时用顿号分隔。",
    "6. 职级按原样填写，任一体系均可：乡科级正职、正科、一级主任科员、试用期、管理八级、"
    "专技十级、技术工三级等；“对应层次”由系统按职级对应表填写，导入时不读取。",
    "7. 人员类别填写公务员、参照公务员法管理人员（参公）、事业单位人员（事业编）、"
    "国有企业管理人员、村（社区）干部或其他。",
    "8. 可增加“任职时间”列：单位、职务、职级或类别变动时，按该时间记入任职经历。",
    "9. 文件中有的列以文件为准（空白会清空该项，“状态”留空则不变）；没有的列保持原值。",
]


def write_roster_template() -> bytes:
    """The canonical headers, an example row, text-formatted ID/phone columns and drop-downs."""
    buffer = io.BytesIO()
    book = safe_workbook(buffer, in_memory=True)
    sheet = book.add_worksheet("干部名册")
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = book.add_format({"num_format": "@"})
    example = book.add_format({"font_color": "#808080"})
    month = book.add_format({"num_format": "yyyy.mm"})
    for col, (title, width) in enumerate(zip(ROSTER_HEADERS, _WIDTHS, strict=True)):
        sheet.write_string(0, col, title, header)
        sheet.set_column(col, col, width, text if col in TEXT_COLUMNS else None)
    example_month = book.add_format({"num_format": "yyyy.mm", "font_color": "#808080"})
    for col, value in enumerate(TEMPLATE_EXAMPLE):
        if isinstance(value, datetime):
            sheet.write_datetime(1, col, value, example_month)
        else:
            sheet.write_string(1, col, value, example)
    sheet.set_column(3, 3, _WIDTHS[3], month)
    column = ROSTER_HEADERS.index
    lists = {
        column("性别"): [str(label) for label in Cadre.Gender.labels],
        column("人员类别"): list(PersonnelCategory.objects.values_list("name", flat=True)),
        column("班子角色"): [str(label) for value, label in Cadre.LeaderRole.choices if value],
        column("状态"): [str(label) for label in Cadre.Status.labels],
    }
    for col, choices in lists.items():
        sheet.data_validation(1, col, 5000, col, {"validate": "list", "source": choices})
    sheet.freeze_panes(1, 0)
    notes = book.add_worksheet("填写说明")
    notes.set_column(0, 0, 90)
    for row, line in enumerate(TEMPLATE_NOTES):
        notes.write_string(row, 0, line)
    book.close()
    return buffer.getvalue()
