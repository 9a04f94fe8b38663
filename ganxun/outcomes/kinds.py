"""The notices outcomes sends (结业, 学用成果审核), registered with messaging. Imported by
``OutcomesConfig.ready`` and by the services that send them."""

from django.utils.translation import gettext_lazy as _

from ganxun.messaging.kinds import NoticeKind, Variable, register

CERTIFICATE = register(
    NoticeKind(
        code="certificate",
        label=_("结业通知"),
        title="恭喜结业：{program}",
        body="结业证书已颁发，可打印或出示验证码供查验。",
        sms="恭喜您完成“{program}”并结业，结业证书可登录平台查看。",
        variables=(Variable("program", _("培训项目名称"), "2026年春季中青年干部培训班"),),
    )
)

OUTCOME_REVIEW = register(
    NoticeKind(
        code="outcome_review",
        label=_("学用成果审核结果"),
        title="学用成果《{outcome}》{verdict}",
        body="{note}",
        sms="您提交的学用成果《{outcome}》{verdict}。",
        variables=(
            Variable("outcome", _("成果标题"), "关于基层减负的调研报告"),
            Variable("verdict", _("审核结果"), "已被采纳"),
            Variable("note", _("审核意见"), "请补充数据来源"),
        ),
    )
)
