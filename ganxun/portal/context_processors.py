from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ganxun.accounts import policies
from ganxun.accounts.models import Role
from ganxun.budgets import policies as budgets_policies
from ganxun.catalog import policies as catalog_policies
from ganxun.checkin import policies as checkin_policies
from ganxun.credits import policies as credits_policies
from ganxun.enrollment import policies as enrollment_policies
from ganxun.learning import policies as learning_policies
from ganxun.messaging import policies_prefs as messaging_policies
from ganxun.needs import policies as needs_policies
from ganxun.orgs import policies as orgs_policies
from ganxun.outcomes import policies as outcomes_policies
from ganxun.programs import policies as programs_policies
from ganxun.reminders import policies as reminders_policies
from ganxun.stats import policies as stats_policies

# (label, url name, who sees it, group). Entries without a group stand in the bar itself, a
# role's daily work first; a group with two or more visible entries becomes a drop-down, a group
# with one shows that entry alone. The entry whose URL is the longest prefix of the path is active.
ORGS, TRAINING, RESOURCES, FIGURES, SYSTEM = (
    _("组织与干部"),
    _("培训"),
    _("资源"),
    _("统计"),
    _("系统"),
)
NAV = [
    (_("首页"), "home", lambda u: True, None),
    (_("培训项目"), "programs:list", programs_policies.can_manage_programs, None),
    (_("提纲审核"), "programs:review", programs_policies.can_review_outlines, None),
    (_("我的授课"), "programs:teaching", lambda u: u.has_role(Role.LECTURER), None),
    (_("我的课表"), "programs:my", lambda u: u.has_role(Role.TRAINEE), None),
    (_("自主选学"), "enrollment:menu", lambda u: u.has_role(Role.TRAINEE), None),
    (_("请假"), "enrollment:my_leave", lambda u: u.has_role(Role.TRAINEE), None),
    (
        _("在线学习"),
        "learning:index",
        lambda u: u.has_role(Role.TRAINEE) and learning_policies.can_learn(u),
        None,
    ),
    (_("课程申报"), "catalog:proposals", lambda u: u.has_role(Role.UNIT_CONTACT), None),
    (_("调训报名"), "enrollment:my_quotas", lambda u: u.has_role(Role.UNIT_CONTACT), None),
    (_("请假审批"), "enrollment:leave_inbox", lambda u: u.has_role(Role.UNIT_CONTACT), None),
    (_("调研进度"), "needs:list", needs_policies.tracks_only, None),
    (_("我的问卷"), "needs:inbox", needs_policies.can_answer_as_trainee, None),
    (_("评价与测评"), "evaluations:mine", lambda u: u.has_role(Role.TRAINEE), None),
    (
        _("我的档案"),
        "cadres:mine",
        lambda u: u.has_role(Role.TRAINEE) and bool(u.cadre_id),
        None,
    ),
    (_("我的消息"), "enrollment:inbox", enrollment_policies.has_inbox, None),
    (_("学用成果"), "outcomes:my", outcomes_policies.can_submit_outcomes, None),
    (_("组织机构"), "orgs:tree", orgs_policies.can_view_orgs, ORGS),
    (_("干部名册"), "cadres:list", orgs_policies.can_view_roster, ORGS),
    (_("人员类别"), "cadres:categories", orgs_policies.can_manage_orgs, ORGS),
    (_("账号管理"), "accounts:users", policies.can_manage_users, ORGS),
    (_("需求调研"), "needs:list", needs_policies.can_manage_needs, TRAINING),
    (_("签到"), "checkin:index", checkin_policies.can_run_any_checkin, TRAINING),
    (_("在岗情况"), "enrollment:coverage", programs_policies.can_manage_programs, TRAINING),
    (
        _("意见审核"),
        "evaluations:pending_comments",
        programs_policies.can_manage_programs,
        TRAINING,
    ),
    (_("成果审核"), "outcomes:review_queue", outcomes_policies.can_see_summary, TRAINING),
    (_("自动提醒"), "reminders:settings", reminders_policies.can_configure_reminders, TRAINING),
    (_("课程与师资"), "catalog:index", catalog_policies.can_view_catalog, RESOURCES),
    (_("经费"), "budgets:list", budgets_policies.can_use_budgets, RESOURCES),
    (_("网络课程"), "learning:index", learning_policies.can_manage_courses, RESOURCES),
    (_("学时达标"), "credits:index", credits_policies.can_view_compliance, FIGURES),
    (_("网络学习异常"), "learning:anomalies", learning_policies.can_view_integrity, FIGURES),
    (_("统计报表"), "stats:dashboard", stats_policies.can_view_stats, FIGURES),
    (_("消息模板"), "messaging_prefs:templates", messaging_policies.can_edit_templates, SYSTEM),
    (
        _("发送渠道"),
        "messaging_prefs:channels",
        lambda u: messaging_policies.can_set_channel_policy(u),
        SYSTEM,
    ),
    (_("接口令牌"), "accounts:tokens", policies.can_manage_users, SYSTEM),
    (_("审计日志"), "core:audit", policies.can_view_audit, SYSTEM),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    entries = [
        {"label": label, "url": reverse(url_name), "active": False, "group": group}
        for label, url_name, visible, group in NAV
        if visible(user)
    ]
    _mark_active(entries, request.path)
    return {"nav_items": _grouped(entries)}


def _mark_active(entries: list[dict], path: str) -> None:
    matches = [e for e in entries if path.startswith(e["url"]) and e["url"] != "/"]
    if matches:
        max(matches, key=lambda e: len(e["url"]))["active"] = True
    elif path == "/" and entries:
        entries[0]["active"] = True


def _grouped(entries: list[dict]) -> list[dict]:
    """Bar items in order: loose entries, then each group (a drop-down from two entries on)."""
    items = [e for e in entries if e["group"] is None]
    for group in (ORGS, TRAINING, RESOURCES, FIGURES, SYSTEM):
        members = [e for e in entries if e["group"] == group]
        if len(members) == 1:
            items.extend(members)
        elif members:
            active = any(e["active"] for e in members)
            items.append({"label": group, "children": members, "active": active})
    return items
