"""The invitation to rate a class, registered with messaging. It is written on each check-in
by ``services/invitations.py`` straight into the inbox (one INSERT … SELECT, no outbox row — see
there), so its texts are fixed: in-app only, not overridable."""

from django.utils.translation import gettext_lazy as _

from ganxun.messaging.kinds import NoticeKind, Variable, register

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
