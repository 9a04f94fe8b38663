"""A report as tables: the same rows feed the dashboard's tables and the Excel workbook, so a
figure cannot differ between the two."""

from django.utils.translation import gettext as _

from ganxun.core.tables_xlsx import Table
from ganxun.evaluations.policies import min_group
from ganxun.stats.report import Report


def _people_note() -> str:
    return _(
        "参训人次 = 学员参加培训班的人次（一人参加三个班计三人次）；参训人数 = 去重后的人数；"
        "到课人次 = 课次签到记录数。"
    )


def overview_table(r: Report) -> Table:
    rows = [
        [_("培训班（期）"), r.programs],
        [_("培训项目（品牌）"), r.projects],
        [_("课次"), r.sessions],
        [_("学时"), r.hours],
        [_("参训人次"), r.total.person_times],
        [_("参训人数"), r.total.trainees],
        [_("到课人次"), r.total.attendances],
        [_("在职干部"), r.total.cadres],
        [_("覆盖率（%）"), r.coverage],
        [_("互动式教学占比（%）"), r.interactive_share],
    ]
    return Table(_("总体情况"), [_("指标"), _("数值")], rows, _people_note())


def channel_table(r: Report) -> Table:
    rows = [[x.label, x.programs, x.person_times, x.trainees, x.attendances] for x in r.by_channel]
    rows.append([_("合计"), r.programs, r.total.person_times, None, r.total.attendances])
    headers = [_("培训方式"), _("培训班（期）"), _("参训人次"), _("参训人数"), _("到课人次")]
    return Table(
        _("按培训方式"),
        headers,
        rows,
        _("一人可参加多种方式的培训，参训人数按方式分别去重，不作合计。"),
    )


def unit_table(r: Report) -> Table:
    rows = [
        [x.label, x.cadres, x.person_times, x.trainees, x.attendances, x.coverage]
        for x in r.by_unit
    ]
    t = r.total
    rows.append([_("合计"), t.cadres, t.person_times, t.trainees, t.attendances, t.coverage])
    headers = [
        _("单位"),
        _("在职干部"),
        _("参训人次"),
        _("参训人数"),
        _("到课人次"),
        _("覆盖率（%）"),
    ]
    return Table(_("按单位"), headers, rows, _("覆盖率 = 期间至少参训一次的在职干部 ÷ 在职干部。"))


def rank_table(r: Report) -> Table:
    rows = [[x.label, x.cadres, x.person_times, x.trainees, x.coverage] for x in r.by_rank]
    t = r.total
    rows.append([_("合计"), t.cadres, t.person_times, t.trainees, t.coverage])
    return Table(
        _("按职级"),
        [_("职级"), _("在职干部"), _("参训人次"), _("参训人数"), _("覆盖率（%）")],
        rows,
    )


def category_table(r: Report) -> Table:
    rows = [[x.label, x.person_times, x.trainees] for x in r.by_category]
    note = _("一人可有多个标签，各行不作合计。")
    return Table(_("按标签"), [_("标签"), _("参训人次"), _("参训人数")], rows, note)


def personnel_category_table(r: Report) -> Table:
    rows = [
        [x.label, x.cadres, x.person_times, x.trainees, x.coverage] for x in r.by_personnel_category
    ]
    note = _("人员类别为开班之日的类别（据任职经历）。")
    if r.hidden_categories:
        note += _("参训不足 %(n)s 人的类别不单列（共 %(count)s 类），以免识别到个人。") % {
            "n": min_group(),
            "count": r.hidden_categories,
        }
    headers = [_("人员类别"), _("在职干部"), _("参训人次"), _("参训人数"), _("覆盖率（%）")]
    return Table(_("按人员类别"), headers, rows, note)


def theme_table(r: Report) -> Table:
    rows = [[x.label, x.sessions, x.hours, x.attendances] for x in r.by_theme]
    rows.append([_("合计"), r.sessions, r.hours, r.total.attendances])
    return Table(
        _("按专题"),
        [_("专题"), _("课次"), _("学时"), _("到课人次")],
        rows,
        _("课次、学时为本级及下级举办的课次；到课人次为本单位干部的签到（含参加上级举办的课次）。"),
    )


def form_table(r: Report) -> Table:
    rows = [
        [x.label, _("是") if x.interactive else _("否"), x.sessions, x.hours, x.share]
        for x in r.by_form
    ]
    rows.append([_("合计"), "", r.sessions, r.hours, None])
    return Table(
        _("按教学形式"),
        [_("教学形式"), _("互动式"), _("课次"), _("学时"), _("占比（%）")],
        rows,
        _(
            "互动式教学：专题讲座和网络课程以外的形式（案例、研讨、现场教学、情景模拟、拓展、工作坊、行动学习、读书研讨、实践锻炼）。"
        ),
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
        personnel_category_table(r),
    ]
    for panel in (r.satisfaction, r.compliance, r.budgets):
        if panel is not None:
            tables.append(panel_table(panel))
    return tables
