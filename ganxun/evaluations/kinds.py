"""The notice kinds evaluations sends (``ganxun.messaging.kinds``).

- ``evaluation``: the invitation to rate a class. It is written on each check-in by
  ``services/invitations.py`` straight into the inbox (one INSERT … SELECT, no outbox row — see
  there), so its texts are fixed: in-app only, not overridable.
- ``comments_pending``: organizers told once per session that trainees' comments wait for review
  (``services.comments``), through the outbox."""

from django.utils.translation import gettext_lazy as _

from ganxun.messaging.kinds import NoticeKind, Variable, register

COMMENTS_PENDING = "comments_pending"

EVALUATION = register(
    NoticeKind(
        code="evaluation",
        label=_("课堂评价邀请"),
        title="请为“{session}”评价",
        body="请花一分钟填写课堂满意度评价表，评价匿名统计。",
        variables=(Variable("session", _("课次名称"), "习近平新时代中国特色社会主义思想专题"),),
        external=False,
        editable=False,
    )
)

register(
    NoticeKind(
        code=COMMENTS_PENDING,
        label=_("学员意见待审核"),
        title="{count} 条学员意见待审核",
        body="{program} · {session} 的评价已截止，有 {count} 条学员意见待审核："
        "公开给授课教师、仅组织方可见或隐藏。",
        variables=(
            Variable("count", _("待审核条数"), "3"),
            Variable("session", _("课次名称"), "应急处置实务"),
            Variable("program", _("项目名称"), "东江县青年干部班"),
        ),
        official=False,
        external=False,
    )
)
