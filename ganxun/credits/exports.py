"""Excel exports in the shape annual appraisal (年度考核) uses: one row per cadre with the year's
学时, the five-year total, 达标 or not and what is missing; a summary sheet per unit and rank."""

import io

from django.utils.translation import gettext as _

from ganxun.core.exports import safe_workbook, stamp_workbook
from ganxun.credits.models import Channel
from ganxun.credits.selectors import Report, with_cadres


def _head() -> list[str]:
    return [
        _("序号"),
        _("姓名"),
        _("单位"),
        _("职务"),
        _("职级"),
        _("年度学时"),
        _("其中网络培训"),
        _("近五年学时"),
    ]


def write_compliance(report: Report, *, only_short: bool, actor) -> bytes:
    out = io.BytesIO()
    book = safe_workbook(out, in_memory=True)
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    red = book.add_format({"font_color": "#C00000", "text_wrap": True})
    title = book.add_format({"bold": True, "font_size": 14})
    _people(book, report, only_short, bold, red, title)
    _summary(book, report, bold, title)
    stamp_workbook(book, actor, what="学时未达标名单" if only_short else "学时达标情况")
    book.close()
    return out.getvalue()


def _people(book, report: Report, only_short: bool, bold, red, title) -> None:
    sheet = book.add_worksheet(_("未达标人员") if only_short else _("学时达标情况"))
    what = _("学时未达标人员名单") if only_short else _("干部教育培训学时登记表")
    sheet.write(
        0,
        0,
        _("%(org)s %(year)s 年度%(what)s")
        % {"org": report.org.name, "year": report.year, "what": what},
        title,
    )
    head = [*_head(), _("是否达标"), _("未达标说明")]
    for col, label in enumerate(head):
        sheet.write_string(2, col, label, bold)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 3, 22)
    sheet.set_column(4, 8, 12)
    sheet.set_column(9, 9, 60)
    sheet.freeze_panes(3, 2)
    results = report.shortfalls if only_short else report.results
    for n, (cadre, result) in enumerate(with_cadres(results), start=1):
        row = n + 2
        sheet.write_number(row, 0, n)
        sheet.write_string(row, 1, cadre.name)
        sheet.write_string(row, 2, cadre.unit.name)
        sheet.write_string(row, 3, cadre.position)
        sheet.write_string(row, 4, cadre.get_rank_display())
        sheet.write_number(row, 5, result.year_hours())
        sheet.write_number(row, 6, result.year_hours(Channel.ONLINE))
        sheet.write_number(row, 7, result.five_hours())
        sheet.write_string(row, 8, _("是") if result.compliant else _("否"))
        notes = [
            _("%(rule)s：已计 %(counted)s，要求 %(required)s，差 %(missing)s 学时")
            % {
                "rule": g.rule.name,
                "counted": f"{g.counted:g}",
                "required": f"{g.required:g}",
                "missing": f"{g.missing:g}",
            }
            for g in result.short
        ]
        sheet.write_string(row, 9, "；".join(notes), red)
    foot = len(results) + 4
    sheet.write_string(foot, 0, _("计算依据：") + "；".join(r.source for r in report.rules))


def _summary(book, report: Report, bold, title) -> None:
    sheet = book.add_worksheet(_("汇总"))
    sheet.write(
        0,
        0,
        _("%(org)s %(year)s 年度学时达标汇总") % {"org": report.org.name, "year": report.year},
        title,
    )
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 4, 12)
    row = 2
    for heading, items in (
        (_("单位"), [(u.name, t) for u, t in report.units]),
        (_("职级"), [(label, t) for _key, label, t in report.ranks]),
    ):
        for col, label in enumerate([heading, _("干部数"), _("达标数"), _("达标率")]):
            sheet.write_string(row, col, label, bold)
        for name, tally in items:
            row += 1
            sheet.write_string(row, 0, str(name))
            sheet.write_number(row, 1, tally.cadres)
            sheet.write_number(row, 2, tally.compliant)
            sheet.write_string(row, 3, f"{tally.share:.1%}")
        row += 2
    sheet.write_string(row, 0, _("合计"))
    sheet.write_number(row, 1, report.total.cadres)
    sheet.write_number(row, 2, report.total.compliant)
    sheet.write_string(row, 3, f"{report.total.share:.1%}")
