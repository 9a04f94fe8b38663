"""The Excel workbook of a program's evaluation results (no names: aggregates only)."""

import io

from django.utils.translation import gettext as _

from ganxun.core.exports import safe_workbook, stamp_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(book, name, header, rows, bold):
    sheet = book.add_worksheet(name)
    sheet.write_row(0, 0, header, bold)
    for r, row in enumerate(rows, start=1):
        sheet.write_row(r, 0, ["" if v is None else v for v in row])
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, len(header), 12)
    return sheet


def program_xlsx(program, results: dict, sessions: list, *, actor) -> bytes:
    buffer = io.BytesIO()
    book = safe_workbook(buffer, in_memory=True)
    bold = book.add_format({"bold": True})
    reaction = results["reaction"]
    _sheet(
        book,
        _("总体"),
        [_("项目"), _("已评价"), _("应评价（签到人次）"), _("参评率"), _("平均分")],
        [
            [
                program.full_name,
                reaction["responses"],
                reaction["expected"],
                reaction["rate"],
                reaction["mean"],
            ]
        ],
        bold,
    )
    _sheet(
        book,
        _("课次"),
        [_("课次"), _("开始时间"), _("签到"), _("已评价"), _("参评率"), _("平均分")],
        [
            [
                s.title,
                s.starts_at.strftime("%Y-%m-%d %H:%M"),
                s.n_attended,
                s.n_forms,
                s.rate,
                s.mean,
            ]
            for s in sessions
        ],
        bold,
    )
    _sheet(
        book,
        _("各题"),
        [_("题目"), _("平均分"), _("作答人数"), _("1分"), _("2分"), _("3分"), _("4分"), _("5分")],
        [[q["label"], q["mean"], q["n"], *q["distribution"]] for q in results["by_question"]],
        bold,
    )
    for name, key in ((_("教师排名"), "lecturers"), (_("课程排名"), "courses")):
        _sheet(
            book,
            name,
            [_("名次"), _("名称"), _("平均分"), _("评价份数")],
            [[i, r["name"], r["mean"], r["responses"]] for i, r in enumerate(results[key], 1)],
            bold,
        )
    _sheet(
        book,
        _("月度趋势"),
        [_("月份"), _("平均分"), _("评价份数")],
        [[m["month"], m["mean"], m["responses"]] for m in results["trend"]],
        bold,
    )
    _sheet(book, _("意见建议"), [_("意见和建议")], [[t] for t in results["suggestions"]], bold)
    stamp_workbook(book, actor, what=f"{program.full_name} 课堂评价结果")
    book.close()
    return buffer.getvalue()
