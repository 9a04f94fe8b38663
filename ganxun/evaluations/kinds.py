"""The notice kinds evaluations sends through the outbox (``ganxun.messaging.outbox.send``).

Registered at import (this module is imported by ``services.comments``, which sends it). The
registry ``ganxun.messaging.kinds`` arrives with the templates helper's branch; until it is merged
into this tree the kind is not registered and renders the ``title`` and ``body`` its sender puts
in the context (``messaging.templates.render``), which ``comments_remind_pending`` always passes
beside the declared variables. At merge: drop the ImportError fallback below.
"""

from django.utils.translation import gettext_lazy as _

COMMENTS_PENDING = "comments_pending"

try:
    from ganxun.messaging.kinds import NoticeKind, Variable, register
except ImportError:  # the registry is not in this tree yet (see above)
    pass
else:
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
