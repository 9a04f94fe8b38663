"""A report as tables: the same rows feed the dashboard's tables and the Excel workbook, so a
figure cannot differ between the two."""

from ganxun.core.tables_xlsx import Table
from ganxun.stats.report import Report

PEOPLE_NOTE = (
    "参训人次 = 学员参加培训班的人次（一人参加三个班计三人次）；参训人数 = 去重后的人数；"
    "到课人次 = 课次签到记录数。"
)


def overview_table(r: Report) -> Table:
    rows = [
        ["培训班（期）", r.programs],
        ["培训项目（品牌）", r.projects],
        ["课次", r.sessions],
        ["学时", r.hours],
        ["参训人次", r.total.person_times],
        ["参训人数", r.total.trainees],
        ["到课人次", r.total.attendances],
        ["在职干部", r.total.cadres],
        ["覆盖率（%）", r.coverage],
        ["互动式教学占比（%）", r.interactive_share],
    ]
    return Table("总体情况", ["指标", "数值"], rows, PEOPLE_NOTE)


def channel_table(r: Report) -> Table:
    rows = [[x.label, x.programs, x.person_times, x.trainees, x.attendances] for x in r.by_channel]
    rows.append(["合计", r.programs, r.total.person_times, None, r.total.attendances])
    headers = ["培训方式", "培训班（期）", "参训人次", "参训人数", "到课人次"]
    return Table(
        "按培训方式", headers, rows, "一人可参加多种方式的培训，参训人数按方式分别去重，不作合计。"
    )


def unit_table(r: Report) -> Table:
    rows = [
        [x.label, x.cadres, x.person_times, x.trainees, x.attendances, x.coverage]
        for x in r.by_unit
    ]
    t = r.total
    rows.append(["合计", t.cadres, t.person_times, t.trainees, t.attendances, t.coverage])
    headers = ["单位", "在职干部", "参训人次", "参训人数", "到课人次", "覆盖率（%）"]
    return Table("按单位", headers, rows, "覆盖率 = 期间至少参训一次的在职干部 ÷ 在职干部。")


def rank_table(r: Report) -> Table:
    rows = [[x.label, x.cadres, x.person_times, x.trainees, x.coverage] for x in r.by_rank]
    t = r.total
    rows.append(["合计", t.cadres, t.person_times, t.trainees, t.coverage])
    return Table("按职级", ["职级", "在职干部", "参训人次", "参训人数", "覆盖率（%）"], rows)


def category_table(r: Report) -> Table:
    rows = [[x.label, x.person_times, x.trainees] for x in r.by_category]
    return Table(
        "按人员类别", ["人员类别", "参训人次", "参训人数"], rows, "一人可属多个类别，各行不作合计。"
    )


def theme_table(r: Report) -> Table:
    rows = [[x.label, x.sessions, x.hours, x.attendances] for x in r.by_theme]
    rows.append(["合计", r.sessions, r.hours, r.total.attendances])
    return Table(
        "按专题",
        ["专题", "课次", "学时", "到课人次"],
        rows,
        "课次、学时为本级及下级举办的课次；到课人次为本单位干部的签到（含参加上级举办的课次）。",
    )


def form_table(r: Report) -> Table:
    rows = [
        [x.label, "是" if x.interactive else "否", x.sessions, x.hours, x.share] for x in r.by_form
    ]
    rows.append(["合计", "", r.sessions, r.hours, None])
    return Table(
        "按教学形式",
        ["教学形式", "互动式", "课次", "学时", "占比（%）"],
        rows,
        "互动式教学：专题讲座和网络课程以外的形式（案例、研讨、现场教学、情景模拟、拓展、工作坊、行动学习、读书研讨、实践锻炼）。",
    )


def panel_table(panel) -> Table:
    return Table(panel.title, panel.headers, panel.rows, panel.note)


def report_tables(r: Report) -> list[Table]:
    tables = [
        overview_table(r),
        channel_table(r),
        unit_table(r),
        rank_table(r),
        category_table(r),
        theme_table(r),
        form_table(r),
    ]
    for panel in (r.satisfaction, r.compliance, r.budgets):
        if panel is not None:
            tables.append(panel_table(panel))
    return tables
