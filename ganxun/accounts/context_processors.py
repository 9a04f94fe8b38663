from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ganxun.accounts import policies
from ganxun.accounts.models import Role
from ganxun.catalog import policies as catalog_policies
from ganxun.credits import policies as credits_policies
from ganxun.enrollment import policies as enrollment_policies
from ganxun.needs import policies as needs_policies
from ganxun.outcomes import policies as outcomes_policies
from ganxun.programs import policies as programs_policies
from ganxun.stats import policies as stats_policies

# (label, url name, who sees it). The entry whose URL is the longest prefix of the path is active.
NAV = [
    (_("首页"), "home", lambda u: True),
    (_("组织机构"), "orgs:tree", policies.can_view_orgs),
    (_("干部名册"), "cadres:list", policies.can_view_roster),
    (_("人员类别"), "cadres:categories", policies.can_manage_orgs),
    (_("课程与师资"), "catalog:index", catalog_policies.can_view_catalog),
    (_("培训项目"), "programs:list", programs_policies.can_manage_programs),
    (_("提纲审核"), "programs:review", programs_policies.can_review_outlines),
    (_("我的授课"), "programs:teaching", lambda u: u.has_role(Role.LECTURER)),
    (_("我的课表"), "programs:my", lambda u: u.has_role(Role.TRAINEE)),
    (_("自主选学"), "enrollment:menu", lambda u: u.has_role(Role.TRAINEE)),
    (_("请假"), "enrollment:my_leave", lambda u: u.has_role(Role.TRAINEE)),
    (_("课程申报"), "catalog:proposals", lambda u: u.has_role(Role.UNIT_CONTACT)),
    (_("调训报名"), "enrollment:my_quotas", lambda u: u.has_role(Role.UNIT_CONTACT)),
    (_("请假审批"), "enrollment:leave_inbox", lambda u: u.has_role(Role.UNIT_CONTACT)),
    (_("需求调研"), "needs:list", needs_policies.can_manage_needs),
    (_("调研进度"), "needs:list", needs_policies.tracks_only),
    (_("我的问卷"), "needs:inbox", needs_policies.can_answer_as_trainee),
    (_("评价与测评"), "evaluations:mine", lambda u: u.has_role(Role.TRAINEE)),
    (_("我的档案"), "cadres:mine", lambda u: u.has_role(Role.TRAINEE) and bool(u.cadre_id)),
    (_("我的消息"), "enrollment:inbox", enrollment_policies.has_inbox),
    (_("学用成果"), "outcomes:my", outcomes_policies.can_submit_outcomes),
    (_("学时达标"), "credits:index", credits_policies.can_view_compliance),
    (_("统计报表"), "stats:dashboard", stats_policies.can_view_stats),
    (_("账号管理"), "accounts:users", policies.can_manage_users),
    (_("接口令牌"), "accounts:tokens", policies.can_manage_users),
    (_("审计日志"), "core:audit", policies.can_view_audit),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        {"label": label, "url": reverse(url_name), "active": False}
        for label, url_name, visible in NAV
        if visible(user)
    ]
    matches = [i for i in items if request.path.startswith(i["url"]) and i["url"] != "/"]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    elif request.path == "/":
        items[0]["active"] = True
    return {"nav_items": items}
