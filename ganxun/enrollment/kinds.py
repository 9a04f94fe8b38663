"""The notices enrollment sends (调训通知, quotas, nominations, leave, seats, timetable changes),
registered with messaging. Imported by ``EnrollmentConfig.ready`` and by the services that send
them; the texts are the kinds' defaults (administrators may override them per org)."""

from django.utils.translation import gettext_lazy as _

from ganxun.messaging.kinds import NoticeKind, Variable, register

PROGRAM = Variable("program", _("培训项目名称"), "2026年春季中青年干部培训班")
ORGANIZER_ORG = Variable("organizer_org", _("主办单位"), "市委组织部")
UNIT = Variable("unit", _("单位名称"), "市卫健委")
CADRE = Variable("cadre", _("学员姓名"), "张明")
SESSION = Variable("session", _("课次名称"), "习近平新时代中国特色社会主义思想专题")
WHEN = Variable("when", _("上课时间"), "05月06日 09:00")
SCHEDULE = Variable(
    "schedule", _("本人的培训安排"), "第1批 · 县委党校报告厅\n05月06日 09:00 开班式"
)
CHANGES = Variable("changes", _("变更内容（每项一行）"), "· 05月06日 开班式改到 09:30")

QUOTA_ALLOCATED = register(
    NoticeKind(
        code="quota_allocated",
        label=_("名额分配通知"),
        title="名额分配：{program}",
        body="{organizer_org}分给{unit}{quota_kind} {seats} 个{batch_note}，请从本单位名册报名。",
        sms="{organizer_org}分给{unit}“{program}”名额 {seats} 个，请登录平台报名。",
        variables=(
            PROGRAM,
            ORGANIZER_ORG,
            UNIT,
            Variable("quota_kind", _("名额类型"), "调训名额"),
            Variable("seats", _("名额数"), "3"),
            Variable("batch_note", _("批次说明（分批时如“（第1批）”）"), "（第1批）"),
        ),
        official=True,
    )
)

QUOTA_REMINDER = register(
    NoticeKind(
        code="quota_reminder",
        label=_("报名提醒（名额尚未使用）"),
        title="提醒：请为“{program}”报名",
        body="{organizer_org}分给{unit}的 {seats} 个名额尚无人报名，请尽快从本单位名册报名。",
        sms="提醒：{organizer_org}分给{unit}的“{program}”名额尚无人报名，请尽快报名。",
        variables=(PROGRAM, ORGANIZER_ORG, UNIT, Variable("seats", _("名额数"), "3")),
        official=True,
    )
)

NOMINATION_RETURNED = register(
    NoticeKind(
        code="nomination_returned",
        label=_("报名被退回"),
        title="报名被退回：{cadre} · {program}",
        body="退回理由：{note}\n可改报其他人选。",
        sms="您报送的{cadre}参加“{program}”被退回，请登录平台查看理由。",
        variables=(CADRE, PROGRAM, Variable("note", _("退回理由"), "该同志本期另有培训任务")),
        official=True,
    )
)

ENROLLMENT_CONFIRMED = register(
    NoticeKind(
        code="enrollment_confirmed",
        label=_("调训通知"),
        title="调训通知：{program}",
        body="您已被确认参加“{program}”。\n{schedule}\n"
        "开课前请先研读各单元的书目与自学课程（点击本消息查看）。",
        sms="调训通知：您已被确认参加“{program}”，培训安排请登录平台查看。",
        variables=(PROGRAM, SCHEDULE),
        official=True,
    )
)

SCHEDULE_CHANGED = register(
    NoticeKind(
        code="schedule_changed",
        label=_("调训通知（更新）"),
        title="调训通知（更新）：{program}",
        body="您参加的培训安排有以下变更：\n{changes}\n\n以下为变更后的安排：\n{schedule}",
        sms="您参加的“{program}”培训安排有变更，请登录平台查看。",
        variables=(PROGRAM, CHANGES, SCHEDULE),
        official=True,
    )
)

LECTURER_SCHEDULE_CHANGED = register(
    NoticeKind(
        code="lecturer_schedule_changed",
        label=_("授课安排变更"),
        title="授课安排变更：{program}",
        body="您在本项目的授课安排有以下变更：\n{changes}\n\n{schedule}",
        sms="您在“{program}”的授课安排有变更，请登录平台查看。",
        variables=(
            PROGRAM,
            CHANGES,
            Variable("schedule", _("本人的授课安排"), "05月06日 09:00 开班式 · 报告厅"),
        ),
        official=True,
    )
)

CONTACT_SCHEDULE_CHANGED = register(
    NoticeKind(
        code="contact_schedule_changed",
        label=_("调训安排变更（单位联络员）"),
        title="调训安排变更：{program}",
        body="“{program}”的安排有以下变更：\n{changes}\n\n"
        "贵单位受影响的学员 {count} 人（{names}）已收到更新的调训通知，请提醒其查看。",
        sms="“{program}”安排有变更，贵单位 {count} 名学员已收到通知，请提醒其查看。",
        variables=(
            PROGRAM,
            CHANGES,
            Variable("count", _("受影响学员人数"), "2"),
            Variable("names", _("受影响学员姓名"), "张明、李华"),
        ),
    )
)

LEAVE_REQUESTED = register(
    NoticeKind(
        code="leave_requested",
        label=_("请假待审批（单位联络员）"),
        title="请假待审批：{cadre} · {session}",
        body="{when}《{session}》\n事由：{reason}",
        sms="{cadre}申请{when}《{session}》请假，请登录平台审批。",
        variables=(CADRE, SESSION, WHEN, Variable("reason", _("请假事由"), "参加防汛值班")),
    )
)

LEAVE_ESCALATED = register(
    NoticeKind(
        code="leave_escalated",
        label=_("请假待审批（主办方）"),
        title="请假待主办方审批：{cadre} · {session}",
        body="单位联络员已同意。事由：{reason}",
        sms="{cadre}的《{session}》请假单位已同意，请登录平台审批。",
        variables=(CADRE, SESSION, Variable("reason", _("请假事由"), "参加防汛值班")),
    )
)

LEAVE_DECIDED = register(
    NoticeKind(
        code="leave_decided",
        label=_("请假审批结果"),
        title="请假{verdict}：{session}",
        body="{when}《{session}》{opinion}",
        sms="您{when}《{session}》的请假{verdict}。",
        variables=(
            SESSION,
            WHEN,
            Variable("verdict", _("审批结果"), "已批准"),
            Variable("opinion", _("审批意见（有意见时如“；意见：…”）"), "；意见：请自学补课"),
        ),
        official=True,
    )
)

LEAVE_OVER_LIMIT = register(
    NoticeKind(
        code="leave_over_limit",
        label=_("请假超限"),
        title="请假超限：{cadre} · {program}",
        body="已批准请假 {leave_hours} 学时，占应参训 {total_hours} 学时的 {percent}%，"
        "超过本项目上限 {limit_percent}%。",
        sms="{cadre}在“{program}”的请假已超过本项目上限，请登录平台查看。",
        variables=(
            CADRE,
            PROGRAM,
            Variable("leave_hours", _("已批准请假学时"), "8"),
            Variable("total_hours", _("应参训学时"), "32"),
            Variable("percent", _("请假占比"), "25"),
            Variable("limit_percent", _("请假上限"), "20"),
        ),
    )
)

SEAT_PROMOTED = register(
    NoticeKind(
        code="seat_promoted",
        label=_("候补成功"),
        title="候补成功：{session}",
        body="有学员退选，您已从候补转为正式选上。上课时间：{when}。",
        sms="候补成功：《{session}》有学员退选，您已转为正式选上，上课时间{when}。",
        variables=(SESSION, WHEN),
        official=True,
    )
)
