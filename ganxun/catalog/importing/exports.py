"""Courses and faculty as .xlsx with the import's canonical headers, so an export edited in
Excel or WPS imports back; the blank template is the same sheet with no rows and a notes sheet."""

import io

from ganxun.catalog.importing.columns import COURSE_COLUMNS, LECTURER_COLUMNS
from ganxun.catalog.models import Course, Lecturer, TeachingForm
from ganxun.core.exports import safe_workbook, stamp_workbook
from ganxun.orgs.models import Cadre

COURSE_HEADERS = [words[0] for words in COURSE_COLUMNS.values()]
LECTURER_HEADERS = [words[0] for name, words in LECTURER_COLUMNS.items() if name != "id_number"]
COURSE_WIDTHS = [32, 12, 14, 6, 20, 24, 16, 50, 8]
LECTURER_WIDTHS = [10, 14, 24, 20, 30, 10, 14, 20, 50, 6]

COURSE_NOTES = [
    "1. 每行一门课程，“课程名称”必填；与本单位已有课程同名的行会更新该课程。",
    "2. 教学形式可填：" + "、".join(str(label) for label in TeachingForm.labels) + "。",
    "3. 主讲人须已在师资库中，多人用顿号分隔；同名时写成“姓名（工作单位）”。",
    "4. 面向职级、面向人员类别可填多个，用顿号分隔；留空表示不限。",
    "5. 状态可填：草稿、已发布、已停用；留空则新课程为草稿、已有课程不变。",
    "6. 专题须是课程库中已有的专题名称（如：理想信念、经济建设）。",
]
LECTURER_NOTES = [
    "1. 每行一位师资，“姓名”必填；本单位师资库中姓名和工作单位都相同的行会更新该记录。",
    "2. 类型可填：" + "、".join(str(label) for label in Lecturer.Kind.labels) + "。",
    "3. 专长领域多个时用顿号分隔；内部/外聘填“内部”或“外聘”；在库填“是”或“否”。",
    "4. 如授课人也是名册中的干部，可增加一列“身份证号”，导入时会关联干部名册。",
]


def _book(sheet_name: str, headers: list[str], widths: list[int]):
    buffer = io.BytesIO()
    book = safe_workbook(buffer, in_memory=True)
    sheet = book.add_worksheet(sheet_name)
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    for col, (title, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.write_string(0, col, title, bold)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    return buffer, book, sheet


def _notes(book, lines: list[str]) -> None:
    notes = book.add_worksheet("填写说明")
    notes.set_column(0, 0, 100)
    for row, line in enumerate(lines):
        notes.write_string(row, 0, line)


def course_row(c: Course) -> list[str]:
    ranks = dict(Cadre.Rank.choices)
    return [
        c.title,
        c.theme.name if c.theme else "",
        c.get_form_display(),
        f"{float(c.hours):g}",
        "、".join(lec.name for lec in c.lecturers.all()),
        "、".join(str(ranks.get(r, r)) for r in c.target_ranks),
        "、".join(cat.name for cat in c.target_categories.all()),
        c.summary,
        c.get_status_display(),
    ]


def lecturer_row(lec: Lecturer) -> list[str]:
    return [
        lec.name,
        lec.get_kind_display(),
        lec.affiliation,
        lec.title,
        lec.specialties,
        "外聘" if lec.is_external else "内部",
        lec.phone,
        lec.availability,
        lec.bio,
        "是" if lec.is_active else "否",
    ]


def write_xlsx(actor, what: str, rows) -> bytes:
    """``rows``: courses or lecturers, already scoped and filtered by the list's filters."""
    if what == "courses":
        buffer, book, sheet = _book("课程库", COURSE_HEADERS, COURSE_WIDTHS)
        to_row, notes = course_row, COURSE_NOTES
        choices = {
            2: [str(label) for label in TeachingForm.labels],
            8: ["草稿", "已发布", "已停用"],
        }
    else:
        buffer, book, sheet = _book("师资库", LECTURER_HEADERS, LECTURER_WIDTHS)
        to_row, notes = lecturer_row, LECTURER_NOTES
        choices = {1: [str(label) for label in Lecturer.Kind.labels], 5: ["内部", "外聘"]}
    text = book.add_format({"num_format": "@", "text_wrap": False})
    n = 0
    for n, obj in enumerate(rows, start=1):
        for col, value in enumerate(to_row(obj)):
            sheet.write_string(n, col, value or "", text)
    for col, values in choices.items():
        sheet.data_validation(1, col, max(n, 1000), col, {"validate": "list", "source": values})
    _notes(book, notes)
    stamp_workbook(book, actor, what=sheet.name)
    book.close()
    return buffer.getvalue()
