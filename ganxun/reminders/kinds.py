"""The notice kinds the reminders send, registered with the messaging app's kinds.

Texts are Chinese data (stored notices stay in the language they were sent in); only the labels
are UI strings. Every variable is plain text a reminder needs — names, times, counts — never an
ID number or a phone. The 催办 (chase) of a survey, an evaluation form or an outline sends the
same kind as its scheduled reminder: the person is told the same thing.
"""

from django.utils.translation import gettext_lazy as _

from ganxun.messaging.kinds import NoticeKind, Variable, register

_SESSION = Variable("session", _("课程名称"), "党的创新理论")
_PROGRAM = Variable("program", _("培训项目"), "周末知行学堂（第1期）")
_WHEN = Variable("when", _("上课时间"), "3月2日 09:00")
_ROOM = Variable("room", _("上课地点"), "县委党校报告厅")
_DEADLINE = Variable("deadline", _("截止时间"), "3月5日 18:00")

CLASS_TOMORROW = register(
    NoticeKind(
        code="class_tomorrow",
        label=_("明日上课提醒"),
        title="明天上课：{session}",
        body="您明天{when}在{room}参加《{session}》（{program}），请准时签到。",
        sms="提醒：您明天{when}在{room}参加《{session}》，请准时签到。",
        variables=(_SESSION, _PROGRAM, _WHEN, _ROOM),
        official=True,
    )
)

CLASS_SOON = register(
    NoticeKind(
        code="class_soon",
        label=_("课前提醒"),
        title="即将上课：{session}",
        body="《{session}》将于{when}在{room}开始（{program}），请准时签到。",
        sms="提醒：《{session}》将于{when}在{room}开始，请准时签到。",
        variables=(_SESSION, _PROGRAM, _WHEN, _ROOM),
        official=True,
        urgent=True,
    )
)

SURVEY_DUE = register(
    NoticeKind(
        code="survey_due",
        label=_("问卷截止提醒"),
        title="请填写问卷：{survey}",
        body="问卷《{survey}》将于{deadline}截止，您尚未提交，请尽快填写。",
        sms="提醒：问卷《{survey}》将于{deadline}截止，您尚未提交，请尽快填写。",
        variables=(Variable("survey", _("问卷名称"), "2030年干部教育培训需求调研"), _DEADLINE),
    )
)

SURVEY_DUE_UNIT = register(
    NoticeKind(
        code="survey_due_unit",
        label=_("问卷截止提醒（单位）"),
        title="本单位尚有 {count} 人未填写：{survey}",
        body="问卷《{survey}》将于{deadline}截止，{unit}尚有 {count} 人未提交，请督促填写。",
        sms="提醒：问卷《{survey}》将于{deadline}截止，{unit}尚有 {count} 人未提交，请督促填写。",
        variables=(
            Variable("survey", _("问卷名称"), "2030年干部教育培训需求调研"),
            _DEADLINE,
            Variable("unit", _("单位"), "东湖镇"),
            Variable("count", _("人数"), "12"),
        ),
    )
)

EVALUATION_DUE = register(
    NoticeKind(
        code="evaluation_due",
        label=_("课堂评价截止提醒"),
        title="请评价：{session}",
        body="《{session}》的课堂满意度评价表将于{deadline}关闭，您尚未填写，请花一分钟评价。",
        sms="提醒：《{session}》的课堂评价将于{deadline}关闭，请尽快填写。",
        variables=(_SESSION, _PROGRAM, _DEADLINE),
    )
)

OUTLINE_DUE = register(
    NoticeKind(
        code="outline_due",
        label=_("授课提纲提交提醒"),
        title="请提交授课提纲：{session}",
        body="您在“{program}”讲授的《{session}》（{when}）授课提纲须于{deadline}前提交，"
        "目前尚未提交。",
        sms="提醒：《{session}》（{when}）的授课提纲须于{deadline}前提交，请尽快提交。",
        variables=(_SESSION, _PROGRAM, _WHEN, _DEADLINE),
        official=True,
    )
)

HOURS_SHORT = register(
    NoticeKind(
        code="hours_short",
        label=_("学时未达标提醒"),
        title="{year}年度学时尚差 {missing} 学时",
        body="截至{today}，您{year}年度已累计 {done} 学时，年度要求 {required} 学时，"
        "尚差 {missing} 学时，请抓紧参加培训或在线学习。",
        sms="提醒：您{year}年度学时 {done}/{required}，尚差 {missing} 学时，请抓紧完成。",
        variables=(
            Variable("year", _("年度"), "2030"),
            Variable("today", _("统计日期"), "10月1日"),
            Variable("done", _("已得学时"), "32"),
            Variable("required", _("要求学时"), "50"),
            Variable("missing", _("尚差学时"), "18"),
        ),
    )
)

HOURS_SHORT_UNIT = register(
    NoticeKind(
        code="hours_short_unit",
        label=_("学时未达标提醒（单位）"),
        title="{unit}有 {count} 人{year}年度学时未达标",
        body="截至{today}，{unit}有 {count} 名干部{year}年度学时未达要求，请督促其抓紧完成；"
        "名单见学时达标页面。",
        sms="提醒：截至{today}，{unit}有 {count} 名干部{year}年度学时未达标，请督促完成。",
        variables=(
            Variable("unit", _("单位"), "东湖镇"),
            Variable("count", _("人数"), "7"),
            Variable("year", _("年度"), "2030"),
            Variable("today", _("统计日期"), "10月1日"),
        ),
    )
)
