"""The notices the course calls send (征集课程), registered with messaging. Imported by
``CatalogConfig.ready`` and by ``services/proposals.py``."""

from django.utils.translation import gettext_lazy as _

from ganxun.messaging.kinds import NoticeKind, Variable, register

CALL = Variable("call", _("征集名称"), "2026年度党性教育课程征集")
OWNER = Variable("owner_org", _("发起单位"), "市委党校")
DEADLINE = Variable(
    "deadline_note", _("截止说明（有截止日期时如“，申报截止 2026-05-01”）"), "，申报截止 2026-05-01"
)

CALL_OPENED = register(
    NoticeKind(
        code="call_opened",
        label=_("课程征集通知"),
        title="课程征集：{call}",
        body="{owner_org}向贵单位征集课程{deadline_note}。",
        sms="{owner_org}向贵单位征集课程“{call}”{deadline_note}，请登录平台申报。",
        variables=(CALL, OWNER, DEADLINE),
    )
)

CALL_REMINDER = register(
    NoticeKind(
        code="call_reminder",
        label=_("课程征集提醒"),
        title="提醒：请为“{call}”申报课程",
        body="{owner_org}发起的课程征集尚未收到贵单位的申报{deadline_note}。",
        sms="提醒：{owner_org}的“{call}”尚未收到贵单位申报{deadline_note}。",
        variables=(CALL, OWNER, DEADLINE),
    )
)
