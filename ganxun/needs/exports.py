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

    Cells are "count (percent%)"; ↑/↓ marks a group that differs clearly from the rest.
    """
    buffer, book, bold, heading = _book()
    used: set[str] = set()
    for index, (question_text, tables) in enumerate(sections, start=1):
        sheet = book.add_worksheet(_sheet_name(index, question_text, used))
        sheet.write_string(0, 0, f"{title} · {question_text}", heading)
        sheet.write_string(
            1,
            0,
            "单元格为“人数（占该组答题人数的百分比）”；↑/↓ 表示该组与其余人员差异显著"
            "（Fisher 精确检验，Holm 校正，p<0.05）。",
        )
        row = 3
        for dim_label, table in tables:
            row = _write_table(sheet, row, dim_label, table, bold) + 2
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 12, 16)
    stamp_workbook(book, actor, what=f"{title} 交叉分析")
    book.close()
    return buffer.getvalue()


def _write_table(sheet, row: int, dim_label: str, table: Table, bold) -> int:
    header = [f"按{dim_label}", "答题人数", *table.columns] + (["平均分"] if table.rating else [])
    sheet.write_row(row, 0, header, bold)
    for r in [*table.rows, table.total]:
        row += 1
        cells = [f"{c.count}（{c.percent}%）{FLAG_MARK[c.flag]}" for c in r.cells]
        mean = (
            [f"{r.mean}{FLAG_MARK[r.mean_flag]}" if r.mean is not None else "—"]
            if table.rating
            else []
        )
        sheet.write_row(row, 0, [r.label, r.n, *cells, *mean])
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
                f"{need.share * 100:.1f}%",
                need.statement_count,
                "；".join(need.examples),
                "、".join(getattr(need, "course_titles", [])) or "（暂无）",
            ],
        )
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 24)
    sheet.set_column(5, 6, 60)
    stamp_workbook(book, actor, what=f"{title} 共性需求")
    book.close()
    return buffer.getvalue()
