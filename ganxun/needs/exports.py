"""Excel workbooks: every cross-tab, the not-yet-answered list, the confirmed common needs."""

import io

from ganxun.core.exports import safe_workbook, stamp_workbook
from ganxun.needs.stats import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FLAG_MARK = {"high": " ↑", "low": " ↓", "": ""}


def _book():
    buffer = io.BytesIO()
    book = safe_workbook(buffer, in_memory=True)
    return (
        buffer,
        book,
        book.add_format({"bold": True}),
        book.add_format({"bold": True, "font_size": 13}),
    )


def _sheet_name(index: int, text: str, used: set[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in sheet names, unique per workbook."""
    clean = "".join(ch for ch in text if ch not in "[]:*?/\\")
    name = f"{index}.{clean}"[:31]
    while name in used:
        name = name[:28] + f"~{len(used)}"
    used.add(name)
    return name


def crosstabs_xlsx(
    title: str, sections: list[tuple[str, list[tuple[str, Table]]]], *, actor
) -> bytes:
    """One sheet per question, one table per grouping under each other.

    Each option has two numeric columns, the count and the share (a number formatted as a
    percentage, so the workbook can compute with it); ↑/↓ after a share or a mean is part of the
    cell's number format, not of its value.
    """
    buffer, book, bold, heading = _book()
    formats = _Formats(book, bold)
    used: set[str] = set()
    for index, (question_text, tables) in enumerate(sections, start=1):
        sheet = book.add_worksheet(_sheet_name(index, question_text, used))
        sheet.write_string(0, 0, f"{title} · {question_text}", heading)
        sheet.write_string(
            1,
            0,
            "每个选项两列：人数、占该组答题人数的百分比；↑/↓ 表示该组与其余人员差异显著"
            "（Fisher 精确检验，Holm 校正，p<0.05）。",
        )
        row = 3
        for dim_label, table in tables:
            row = _write_table(sheet, row, dim_label, table, formats) + 2
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 40, 10)
    stamp_workbook(book, actor, what=f"{title} 交叉分析")
    book.close()
    return buffer.getvalue()


class _Formats:
    """Number formats of the cross-tab: a share as 0.0%, a mean as 0.00, each with its flag."""

    def __init__(self, book, bold):
        self.bold = bold
        self.center = book.add_format({"bold": True, "align": "center"})
        self.share = {
            k: book.add_format({"num_format": f'0.0%"{m}"'}) for k, m in FLAG_MARK.items()
        }
        self.mean = {k: book.add_format({"num_format": f'0.00"{m}"'}) for k, m in FLAG_MARK.items()}


def _write_table(sheet, row: int, dim_label: str, table: Table, formats: _Formats) -> int:
    # two header rows: the option over its two columns, then 人数 / 占比 under it
    sheet.write_string(row, 0, f"按{dim_label}", formats.bold)
    sheet.write_string(row, 1, "答题人数", formats.bold)
    for i, column in enumerate(table.columns):
        sheet.merge_range(row, 2 + 2 * i, row, 3 + 2 * i, column, formats.center)
        sheet.write_string(row + 1, 2 + 2 * i, "人数", formats.bold)
        sheet.write_string(row + 1, 3 + 2 * i, "占比", formats.bold)
    mean_col = 2 + 2 * len(table.columns)
    if table.rating:
        sheet.write_string(row, mean_col, "平均分", formats.bold)
    row += 1
    for r in [*table.rows, table.total]:
        row += 1
        sheet.write_string(row, 0, r.label)
        sheet.write_number(row, 1, r.n)
        for i, c in enumerate(r.cells):
            sheet.write_number(row, 2 + 2 * i, c.count)
            sheet.write_number(row, 3 + 2 * i, c.percent / 100, formats.share[c.flag])
        if table.rating and r.mean is not None:
            sheet.write_number(row, mean_col, r.mean, formats.mean[r.mean_flag])
    return row


def non_respondents_xlsx(title: str, rows: list[dict], *, actor) -> bytes:
    buffer, book, bold, heading = _book()
    sheet = book.add_worksheet("未提交名单")
    sheet.write_string(0, 0, f"{title} · 未提交名单", heading)
    header = ["姓名", "单位", "职级", "手机", "状态", "个人链接（本人专用，请勿转发他人）"]
    sheet.write_row(2, 0, header, bold)
    for i, r in enumerate(rows, start=3):
        sheet.write_row(i, 0, [r["name"], r["unit"], r["rank"], r["phone"], r["status"], r["link"]])
    sheet.set_column(0, 4, 16)
    sheet.set_column(5, 5, 60)
    stamp_workbook(book, actor, what=f"{title} 未提交名单")
    book.close()
    return buffer.getvalue()


def common_needs_xlsx(title: str, needs: list, *, actor) -> bytes:
    buffer, book, bold, heading = _book()
    sheet = book.add_worksheet("共性需求")
    sheet.write_string(0, 0, f"{title} · 共性需求清单", heading)
    sheet.write_row(
        2,
        0,
        ["排名", "共性需求", "提出人数", "占答题人数", "表述条数", "代表性表述", "对应课程"],
        bold,
    )
    for i, need in enumerate(needs, start=3):
        sheet.write_row(
            i,
            0,
            [
                need.position,
                need.label,
                need.respondent_count,
                need.share,
                need.statement_count,
                "；".join(need.examples),
                "、".join(getattr(need, "course_titles", [])) or "（暂无）",
            ],
        )
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 24)
    share = book.add_format({"num_format": "0.0%"})
    for i, need in enumerate(needs, start=3):  # a number the workbook can compute with
        sheet.write_number(i, 3, need.share, share)
    sheet.set_column(5, 6, 60)
    stamp_workbook(book, actor, what=f"{title} 共性需求")
    book.close()
    return buffer.getvalue()
