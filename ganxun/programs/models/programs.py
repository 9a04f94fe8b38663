"""Programs (培训项目/班次), their thematic units (单元/专题), venues and trainees."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ganxun.accounts.models import Role
from ganxun.catalog.models.sharing import lineage_ids, shared_scope_q
from ganxun.core.models import Timestamped
from ganxun.core.scoping import ScopedChild, ScopedManager

# The closed loop of Ningbo's 周末知行学堂. Each program keeps its own copy (``Program.steps``)
# and may leave steps out or rename them; ``kind`` decides how progress is counted.
STEP_KINDS = {
    "reading": _("研读专业书籍"),
    "online": _("自学案例课程"),
    "sessions": _("集中授课研讨"),
    "summary": _("学用成果总结"),
}


# The default labels as stored: in the source language, whatever the creator's language, so a
# label left at its default can be shown in each reader's language (step_labels).
STEP_DEFAULTS = {
    "reading": "研读专业书籍",
    "online": "自学案例课程",
    "sessions": "集中授课研讨",
    "summary": "学用成果总结",
}


def default_steps() -> list[dict]:
    return [{"kind": kind, "label": label} for kind, label in STEP_DEFAULTS.items()]


def step_label(kind: str, label: str) -> str:
    """A step still named by its default reads in the active language; a renamed one as typed."""
    if kind not in STEP_KINDS:
        return label
    if label != STEP_DEFAULTS[kind]:
        with translation.override("en"):
            if label != str(STEP_KINDS[kind]):
                return label
    return str(STEP_KINDS[kind])


MANAGING_ROLES = (Role.ADMIN, Role.ORGANIZER)


class Channel(models.TextChoices):
    """How the training reaches cadres — the categories leaders' statistics count 人次 by."""

    LOCAL = "local", _("本地集中培训")
    OUT_OF_REGION = "out", _("域外/外出培训")
    INVITED = "invited", _("请进来/内引培训")
    REMOTE = "remote", _("远程/空中课堂")
    MOBILE = "mobile", _("送学下基层/流动课堂")
    SELF_SELECTED = "self", _("自主选学")
    ONLINE = "online", _("网络培训")


class Venue(models.Model):
    """A classroom: the party school's main classroom (主课堂) or a video sub-classroom
    (视频分课堂) serving an area, or a teaching point used for a session."""

    class Kind(models.TextChoices):
        MAIN = "main", _("主课堂")
        VIDEO = "video", _("视频分课堂")
        OTHER = "other", _("其他场地")

    owner = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属组织")
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.MAIN)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("容纳人数"), null=True, blank=True)
    serves = models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("服务区域"),
        help_text=_("视频分课堂服务的区县/乡镇/部门：其下的学员就近到此参训。"),
    )
    stream_url = models.URLField(_("直播/会议链接"), max_length=300, blank=True)
    # Optional geofence for phone check-in: the scan must come from within radius_m metres.
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    geofence_m = models.PositiveIntegerField(_("签到范围（米）"), null=True, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name = _("教室")

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, actor) -> Q:
        return shared_scope_q(actor, shared_up=False)


_CN_DIGITS = "零一二三四五六七八九"


def _cn_number(n: int) -> str:
    """1–99 in Chinese numerals as cohorts are written: 2 → 二, 10 → 十, 12 → 十二, 21 → 二十一."""
    tens, ones = divmod(n, 10)
    if not tens:
        return _CN_DIGITS[n]
    return f"{_CN_DIGITS[tens] if tens > 1 else ''}十{_CN_DIGITS[ones] if ones else ''}"


def _names_cohort(name: str, cohort: int) -> bool:
    written = {f"第{cohort}期", f"第{cohort:02d}期"}
    if 0 < cohort < 100:
        written.add(f"第{_cn_number(cohort)}期")
    return any(w in name for w in written)


class Program(Timestamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("筹备中")
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结业")

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    name = models.CharField(_("项目名称"), max_length=200)
    brand = models.CharField(_("培训品牌"), max_length=50, blank=True)
    cohort = models.PositiveSmallIntegerField(_("期数"), null=True, blank=True)
    target_groups = models.CharField(_("培训对象"), max_length=300, blank=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    goals = models.TextField(_("培训目标"), blank=True)
    channel = models.CharField(
        _("培训方式"), max_length=10, choices=Channel.choices, default=Channel.LOCAL
    )
    funding = models.CharField(
        _("经费来源"),
        max_length=200,
        blank=True,
        help_text=_("如：财政拨款、党费、部门自筹；预算编号。"),
    )
    menu_call = models.ForeignKey(
        "catalog.ProposalCall",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("课程菜单来源"),
    )
    steps = models.JSONField(_("学习闭环"), default=default_steps)
    batch_count = models.PositiveSmallIntegerField(_("批次数"), default=1)
    min_on_duty = models.DecimalField(
        _("在岗比例"), max_digits=3, decimal_places=2, default=Decimal("0.40")
    )
    outline_days_before = models.PositiveSmallIntegerField(_("提纲提交截止（课前天数）"), default=7)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("提纲审核领导")
    )
    main_venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("主课堂"),
    )
    sub_venues = models.ManyToManyField(
        Venue, blank=True, related_name="+", verbose_name=_("视频分课堂")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    last_solve = models.JSONField(default=dict, blank=True)
    # Leave (请假) beyond this share of the program's hours is flagged to the organizer.
    leave_limit = models.DecimalField(
        _("请假上限（占总学时比例）"), max_digits=4, decimal_places=3, default=Decimal("0.143")
    )
    # Leave longer than this many hours also needs the organizer, after the unit contact.
    leave_organizer_hours = models.DecimalField(
        _("需主办方审批的请假时长（学时）"), max_digits=5, decimal_places=1, default=Decimal("4")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("培训项目")

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        cohort = f"第{self.cohort}期" if self.cohort else ""
        if cohort and _names_cohort(self.name, self.cohort):
            cohort = ""  # "周末知行学堂第2期" with 期数 2 is not "…第2期第2期"
        brand = f"{self.brand}·" if self.brand and self.brand not in self.name else ""
        return f"{brand}{self.name}{cohort}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        """Staff see programs of their subtree and those organized above them (their cadres
        take part); reviewers, lecturers and trainees see the programs they have a part in."""
        from ganxun.programs.models.sessions import Session  # deferred: sessions imports us

        root = getattr(actor, "org", None)
        if root is None or not actor.is_active:
            return Q(pk__in=[])
        q = Q(pk__in=[])
        if actor.has_role(*MANAGING_ROLES):
            q |= Q(org__path__startswith=root.path) | Q(org_id__in=lineage_ids(root))
        if actor.has_role(Role.REVIEWER):
            reviewing = cls.reviewers.through.objects.filter(user_id=actor.pk)
            q |= Q(pk__in=reviewing.values("program_id"))
        if actor.cadre_id and actor.has_role(Role.LECTURER):
            # scope: the rule itself (a scoped read would recurse into it): the actor's lessons
            teaching = Session._base_manager.filter(lecturers__cadre_id=actor.cadre_id)
            q |= Q(pk__in=teaching.values("program_id"))
        if actor.cadre_id and actor.has_role(Role.TRAINEE):
            # scope: the rule itself (a scoped read would recurse into it): the actor's own rows
            enrolled = ProgramTrainee._base_manager.filter(cadre_id=actor.cadre_id)
            q |= Q(pk__in=enrolled.values("program_id"))
        return q

    def step_labels(self) -> list[tuple[str, str]]:
        return [(s["kind"], step_label(s["kind"], s["label"])) for s in self.steps]

    def batch_numbers(self) -> list[int]:
        return list(range(1, self.batch_count + 1))


class ProgramUnit(models.Model):
    """A thematic unit (单元/专题) of a program, e.g. a month on 风险防范."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="units")
    seq = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("单元名称"), max_length=100)
    theme = models.ForeignKey(
        "catalog.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("专题"),
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    summary_due = models.DateField(_("学用成果提交截止"), null=True, blank=True)
    description = models.TextField(_("说明"), blank=True)
    materials = models.ManyToManyField(
        "catalog.Material", blank=True, related_name="+", verbose_name=_("书目与自学课程")
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["program", "seq", "id"]
        verbose_name = _("单元")
        constraints = [
            models.UniqueConstraint(fields=["program", "seq"], name="uniq_program_unit_seq")
        ]

    def __str__(self):
        return _("第%(seq)s单元·%(title)s") % {"seq": self.seq, "title": self.title}

    @classmethod
    def scope_q(cls, actor) -> Q:
        return Q(program__in=Program.objects.visible_to(actor).values("pk"))


class ProgramTrainee(models.Model):
    """A cadre taking part in a program, with the batch and classroom assigned.

    One row per confirmed participant, whatever the way in: 调训 nominations confirmed by the
    organizer, 搭车 ride-along seats, 自主选学 picks, walk-ins recorded at check-in. Nominations
    and their history live in ``enrollment``; this is the list everyone else reads.
    """

    class Source(models.TextChoices):
        ASSIGNED = "assigned", _("调训")
        RIDE_ALONG = "ride_along", _("搭车培训")
        SELF_SELECTED = "self", _("自主选学")
        WALK_IN = "walk_in", _("现场旁听")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="trainees")
    cadre = models.ForeignKey(
        "orgs.Cadre", on_delete=models.PROTECT, related_name="+", verbose_name=_("学员")
    )
    batch = models.PositiveSmallIntegerField(_("批次"), null=True, blank=True)
    venue = models.ForeignKey(
        Venue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("参训教室"),
    )
    source = models.CharField(
        _("参训方式"), max_length=10, choices=Source.choices, default=Source.ASSIGNED
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["program", "cadre__unit__path", "cadre__name", "id"]
        verbose_name = _("项目学员")
        constraints = [
            models.UniqueConstraint(fields=["program", "cadre"], name="uniq_program_trainee")
        ]
        indexes = [models.Index(fields=["program", "batch"])]

    def __str__(self):
        return str(self.cadre)

    @classmethod
    def scope_q(cls, actor) -> Q:
        """Staff and the program's reviewers and lecturers see the list; a trainee sees only
        their own row."""
        if getattr(actor, "org", None) is None or not actor.is_active:
            return Q(pk__in=[])
        if actor.has_role(*MANAGING_ROLES, Role.REVIEWER, Role.LECTURER):
            return Q(program__in=Program.objects.visible_to(actor).values("pk"))
        if actor.cadre_id:
            return Q(cadre_id=actor.cadre_id)
        return Q(pk__in=[])


class StepRecord(ScopedChild):
    """A trainee's progress through one step of a unit's closed loop: a book read, a video
    course studied, the outcome summary filed (学用成果总结)."""

    scope_parent = "trainee"  # visible exactly when its parent is

    trainee = models.ForeignKey(ProgramTrainee, on_delete=models.CASCADE, related_name="steps")
    unit = models.ForeignKey(ProgramUnit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    material = models.ForeignKey(
        "catalog.Material", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("内容"), blank=True)
    done_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "unit", "kind", "material"],
                condition=Q(material__isnull=False),
                name="uniq_step_material",
            ),
            models.UniqueConstraint(
                fields=["trainee", "unit", "kind"],
                condition=Q(material__isnull=True),
                name="uniq_step_plain",
            ),
        ]

    def __str__(self):
        return f"{self.trainee} {self.unit} {self.kind}"
