"""Needs surveys: who is asked (respondents with personal links), and what they need in common.

A ``NeedsSurvey`` wraps one questionnaire of the question engine. ``Respondent`` rows are the
invitations: one per cadre, with the cadre's groups frozen at invitation time (so the analysis
shows the groups as they were when asked) and a personal link. Free-text answers are clustered
(``ClusterRun`` → ``NeedCluster`` → ``ClusterMember``), curated by administrators, and confirmed
as the survey's list of ``CommonNeed`` rows, each of which may be linked to catalogue courses.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ganxun.accounts.models import Role
from ganxun.core.scoping import ScopedManager, subtree_q
from ganxun.orgs.models import Cadre, CadreCategory, Org
from ganxun.surveys.models import Answer, Question, Questionnaire, Response

MANAGERS = (Role.ADMIN, Role.ORGANIZER)
TRACKERS = (Role.ADMIN, Role.ORGANIZER, Role.UNIT_CONTACT)


def _root_path(actor) -> str | None:
    root = getattr(actor, "org", None)
    return root.path if root is not None and actor.is_active else None


def _managed_within(actor, org_lookup: str) -> Q:
    """What survey managers see: rows of surveys owned in their subtree."""
    return subtree_q(actor, org_lookup, allowed=actor.has_role(*MANAGERS))


class AgeBand(models.TextChoices):
    UP_TO_35 = "35-", _("35岁及以下")
    AGE_36_45 = "36-45", _("36–45岁")
    AGE_46_55 = "46-55", _("46–55岁")
    FROM_56 = "56+", _("56岁及以上")


class UnitLevel(models.TextChoices):
    """Where the respondent works: the unit's tier, departments counted with their tier."""

    CITY = "city", _("市级")
    COUNTY = "county", _("县（区）级")
    TOWNSHIP = "township", _("乡镇（街道）")
    VILLAGE = "village", _("村（社区）")


class NeedsSurvey(models.Model):
    questionnaire = models.OneToOneField(
        Questionnaire, on_delete=models.CASCADE, related_name="needs_survey"
    )
    # Each use of the targeting form, for the record: [{"at", "by", "criteria", "added"}].
    targeting = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("需求调研")

    def __str__(self):
        return self.questionnaire.title

    @classmethod
    def scope_q(cls, actor) -> Q:
        """Managers see surveys owned in their subtree; trackers (unit contacts, county
        administrators) also see surveys that asked people of their subtree."""
        path = _root_path(actor)
        if path is None or not actor.has_role(*TRACKERS):
            return Q(pk__in=[])
        asked_here = Exists(
            # scope: this is the rule itself (a scoped manager here would recurse)
            Respondent._base_manager.filter(
                survey=OuterRef("pk"), unit__path__startswith=path
            ).values("pk")
        )
        owned = Q(questionnaire__org__path__startswith=path)
        return (owned | Q(asked_here)) if actor.has_role(*MANAGERS) else Q(asked_here)

    @property
    def title(self) -> str:
        return self.questionnaire.title


class Respondent(models.Model):
    """An invitation: one cadre, a personal link, and (once started) the response."""

    survey = models.ForeignKey(NeedsSurvey, on_delete=models.CASCADE, related_name="respondents")
    cadre = models.ForeignKey(
        Cadre, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(
        Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    rank = models.CharField(_("职级"), max_length=20, choices=Cadre.Rank.choices)
    leader_role = models.CharField(
        _("班子角色"), max_length=12, choices=Cadre.LeaderRole.choices, blank=True
    )
    age_band = models.CharField(_("年龄段"), max_length=6, choices=AgeBand.choices)
    unit_level = models.CharField(_("单位层级"), max_length=10, choices=UnitLevel.choices)
    categories = models.ManyToManyField(CadreCategory, blank=True, related_name="+")
    # The link is HMAC(secret key, nonce): the database alone cannot produce it, and the
    # server can show it again (QR codes, exports). Lookup goes through the hash of the link.
    token_nonce = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    response = models.OneToOneField(
        Response, on_delete=models.SET_NULL, null=True, blank=True, related_name="respondent"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(_("首次打开"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["unit__path", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "cadre"], name="uniq_respondent_cadre")
        ]
        indexes = [models.Index(fields=["survey", "unit"])]
        verbose_name = _("调研对象")

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, actor) -> Q:
        path = _root_path(actor)
        if path is None:
            return Q(pk__in=[])
        if actor.has_role(*TRACKERS):
            return Q(unit__path__startswith=path)
        if actor.has_role(Role.TRAINEE) and actor.cadre_id:
            return Q(cadre_id=actor.cadre_id)
        return Q(pk__in=[])


class NeedTopic(models.Model):
    """A topic of the taxonomy that guides clustering; administrators keep the list."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    keywords = models.TextField(_("关键词"), blank=True, help_text=_("每行一个"))
    synonyms = models.TextField(_("同义说法"), blank=True, help_text=_("每行一个"))
    examples = models.TextField(_("例句"), blank=True, help_text=_("每行一句"))
    is_active = models.BooleanField(_("启用"), default=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("需求主题")

    def __str__(self):
        return self.name


class ClusterRun(models.Model):
    """One clustering of a survey's free-text answers, and its curation."""

    class Status(models.TextChoices):
        RUNNING = "running", _("聚类中")
        READY = "ready", _("待确认")
        FAILED = "failed", _("失败")
        CONFIRMED = "confirmed", _("已确认")

    survey = models.ForeignKey(NeedsSurvey, on_delete=models.CASCADE, related_name="cluster_runs")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    requested_k = models.PositiveSmallIntegerField(null=True, blank=True)
    job_id = models.UUIDField(null=True, blank=True)
    statements = models.PositiveIntegerField(default=0)
    respondents = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.survey} · {self.created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        return _managed_within(actor, "survey__questionnaire__org")


class NeedCluster(models.Model):
    run = models.ForeignKey(ClusterRun, on_delete=models.CASCADE, related_name="clusters")
    label = models.CharField(_("名称"), max_length=60)
    topic_code = models.CharField(max_length=40, blank=True)
    keywords = models.JSONField(default=list, blank=True)
    is_other = models.BooleanField(default=False)
    discarded = models.BooleanField(_("已舍弃"), default=False)
    position = models.PositiveIntegerField(default=0)

    objects = ScopedManager()

    class Meta:
        ordering = ["discarded", "position", "id"]

    def __str__(self):
        return self.label

    @classmethod
    def scope_q(cls, actor) -> Q:
        return _managed_within(actor, "run__survey__questionnaire__org")


class ClusterMember(models.Model):
    """One need statement of one respondent (a long answer may hold several)."""

    cluster = models.ForeignKey(NeedCluster, on_delete=models.CASCADE, related_name="members")
    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="+")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=500)
    is_representative = models.BooleanField(default=False)

    objects = ScopedManager()

    class Meta:
        ordering = ["-is_representative", "id"]

    def __str__(self):
        return self.text

    @classmethod
    def scope_q(cls, actor) -> Q:
        return _managed_within(actor, "cluster__run__survey__questionnaire__org")


class CommonNeed(models.Model):
    """A confirmed common need (共性需求) with its counts, kept when the clusters change."""

    survey = models.ForeignKey(NeedsSurvey, on_delete=models.CASCADE, related_name="common_needs")
    run = models.ForeignKey(ClusterRun, on_delete=models.SET_NULL, null=True, related_name="+")
    position = models.PositiveSmallIntegerField(_("排名"))
    label = models.CharField(_("共性需求"), max_length=60)
    respondent_count = models.PositiveIntegerField(_("提出人数"))
    statement_count = models.PositiveIntegerField(_("表述条数"))
    share = models.FloatField(_("占答卷比例"))
    examples = models.JSONField(_("代表性表述"), default=list)
    group_shares = models.JSONField(default=dict)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["survey", "position"]
        verbose_name = _("共性需求")

    def __str__(self):
        return self.label

    @classmethod
    def scope_q(cls, actor) -> Q:
        return _managed_within(actor, "survey__questionnaire__org")


class NeedCourse(models.Model):
    """A catalogue course that may answer a common need: suggested by text, decided by a person."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("建议")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("不相关")

    need = models.ForeignKey(CommonNeed, on_delete=models.CASCADE, related_name="courses")
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["status", "-score", "id"]
        constraints = [models.UniqueConstraint(fields=["need", "course"], name="uniq_need_course")]

    def __str__(self):
        return f"{self.need_id} → {self.course_id} ({self.status})"

    @classmethod
    def scope_q(cls, actor) -> Q:
        return _managed_within(actor, "need__survey__questionnaire__org")
