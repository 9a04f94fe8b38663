"""The organization tree and the cadres (people) who belong to it."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.core.crypto import mask_phone
from ganxun.core.encrypted import BlindIndexField, EncryptedTextField
from ganxun.core.models import Timestamped
from ganxun.core.scoping import ScopedChild, ScopedManager
from ganxun.orgs.idcard import mask_id_number
from ganxun.orgs.policies import can_view_roster

PATH_SEP = "/"


def path_segment(pk: int) -> str:
    """Base-36 of the primary key: short, stable across renames and moves."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        pk, rem = divmod(pk, 36)
        out = digits[rem] + out
        if pk == 0:
            return out


class Org(models.Model):
    """A node of the tree: 市/区县/乡镇街道/村社区, or a department (部门/单位) under any node.

    ``path`` is a materialized path of base-36 ids ("1/a/3f/"), so a subtree is one indexed
    ``LIKE 'prefix%'`` query at any depth. Moving a node rewrites the paths of its subtree in one
    UPDATE; ids and codes never change, so history (audit, later enrollments) stays attached.
    """

    class Level(models.TextChoices):
        CITY = "city", _("市")
        COUNTY = "county", _("区县")
        TOWNSHIP = "township", _("乡镇街道")
        VILLAGE = "village", _("村社区")
        DEPARTMENT = "department", _("部门单位")

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("在用"), default=True)
    retired_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    sort = models.PositiveIntegerField(_("排序"), default=0)

    objects = ScopedManager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("组织")

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, actor) -> Q:
        root = getattr(actor, "org", None)
        if root is None or not actor.is_active:
            return Q(pk__in=[])
        return Q(path__startswith=root.path)

    @property
    def indented_name(self) -> str:
        return "\u3000" * self.depth + self.name

    def is_within(self, other: "Org") -> bool:
        return self.path.startswith(other.path)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(seg, 36) for seg in self.path.split(PATH_SEP) if seg][:-1]


class CadreCategory(models.Model):
    """Tags (标签) such as 年轻干部, 后备干部, 大学生村官 — a list administrators keep; a cadre has
    any number of them. The personnel category (人员类别/身份) is ``PersonnelCategory``."""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort", "name"]
        verbose_name = _("标签")

    def __str__(self):
        return self.name


class PersonnelCategory(models.Model):
    """人员类别/身份: 公务员, 参公, 事业单位人员 … — one per cadre; administrators extend the list.
    ``synonyms`` are the other spellings offices write (参公、参照管理、事业编 …), 、-separated."""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    synonyms = models.CharField(_("其他写法"), max_length=500, blank=True)
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort", "name"]
        verbose_name = _("人员类别")

    def __str__(self):
        return self.name

    @property
    def spellings(self) -> list[str]:
        return [self.name, self.code, *filter(None, self.synonyms.split("、"))]


class Cadre(Timestamped):
    """A person in the roster. The ID number is the identity: stored once, across the tree."""

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    class Rank(models.TextChoices):
        BUREAU_MAIN = "bureau_main", _("厅局级正职")
        BUREAU_DEPUTY = "bureau_deputy", _("厅局级副职")
        COUNTY_MAIN = "county_main", _("县处级正职")
        COUNTY_DEPUTY = "county_deputy", _("县处级副职")
        SECTION_MAIN = "section_main", _("乡科级正职")
        SECTION_DEPUTY = "section_deputy", _("乡科级副职")
        GENERAL = "general", _("一般干部")

    class LeaderRole(models.TextChoices):
        NONE = "", _("无")
        SECRETARY = "secretary", _("党委/党组书记")
        HEAD = "head", _("行政正职")
        DEPUTY = "deputy", _("副职")

    class Status(models.TextChoices):
        ACTIVE = "active", _("在职")
        TRANSFERRED = "transferred", _("调出")
        RETIRED = "retired", _("退休")
        DECEASED = "deceased", _("去世")

    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    # Encrypted at rest (core/encrypted.py); exact lookups go through the keyed hash id_hash,
    # which carries the one-person-one-record rule; id_tail serves the last-four search.
    id_number = EncryptedTextField(_("身份证号"), blind_index="id_hash")
    id_hash = BlindIndexField(source="id_number", unique=True)
    id_tail = models.CharField(max_length=4, db_index=True, editable=False)
    birth_date = models.DateField(_("出生日期"))
    unit = models.ForeignKey(
        Org, on_delete=models.PROTECT, related_name="cadres", verbose_name=_("单位")
    )
    position = models.CharField(_("现任职务"), max_length=100, blank=True)
    # 职级 as the office writes it (a row of the correspondence table), and the comparable level
    # that row places it at — what requirements, compliance, targeting and statistics read.
    # rank is "" when the table cannot place the rank (the data-quality list shows those).
    rank_title = models.ForeignKey(
        "RankTitle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cadres",
        verbose_name=_("职级"),
    )
    rank = models.CharField(_("职级层次"), max_length=20, choices=Rank.choices, blank=True)
    personnel_category = models.ForeignKey(
        PersonnelCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cadres",
        verbose_name=_("人员类别"),
    )
    categories = models.ManyToManyField(CadreCategory, blank=True, verbose_name=_("标签"))
    leader_role = models.CharField(
        _("班子角色"), max_length=12, choices=LeaderRole.choices, blank=True, default=""
    )
    phone = EncryptedTextField(_("手机"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    note = models.CharField(_("备注"), max_length=500, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["unit__path", "name", "id"]
        indexes = [
            models.Index(fields=["unit", "rank"]),
            # compliance counts active cadres per (unit, rank) from the index alone
            models.Index(fields=["status", "unit", "rank"], name="cadre_status_unit_rank"),
        ]
        verbose_name = _("干部")

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, actor) -> Q:
        root = getattr(actor, "org", None)
        if root is None or not actor.is_active:
            return Q(pk__in=[])
        if can_view_roster(actor):
            return Q(unit__path__startswith=root.path)
        if actor.cadre_id:
            return Q(pk=actor.cadre_id)
        return Q(pk__in=[])

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class RankTitle(models.Model):
    """One row of the rank correspondence table (职级对应表): a rank in its system, as offices
    write it (管理八级, 专技十级, 一级主任科员, 乡科级正职 …), and the comparable level it counts
    as. Defaults and sources in ``orgs/ranks.py``; administrators edit the table, and a changed
    level is carried to the cadres holding the rank (``services.rank_title_update``)."""

    class System(models.TextChoices):
        LEADING = "leading", _("领导职务")
        GRADE = "grade", _("公务员职级")
        MANAGEMENT = "management", _("事业单位管理岗位")
        PROFESSIONAL = "professional", _("事业单位专业技术岗位")
        WORKER = "worker", _("事业单位工勤技能岗位")
        OTHER = "other", _("其他")

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    system = models.CharField(_("职级体系"), max_length=16, choices=System.choices)
    level = models.CharField(_("对应层次"), max_length=20, choices=Cadre.Rank.choices, blank=True)
    synonyms = models.CharField(_("其他写法"), max_length=500, blank=True)
    source = models.CharField(_("依据"), max_length=300, blank=True)
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort", "name"]
        verbose_name = _("职级对应表")

    def __str__(self):
        return self.name

    @property
    def spellings(self) -> list[str]:
        return [self.name, *filter(None, self.synonyms.split("、"))]


class CadreHistory(ScopedChild):
    """A dated record of a cadre's unit, post, rank and category (任职经历). The current record
    has no end; a change of any of them closes it and opens the next; 调出, 退休 and 去世 close
    it. Reports at a past date read the record covering that date."""

    class EndReason(models.TextChoices):
        CHANGED = "changed", _("变动")
        TRANSFERRED = "transferred", _("调出")
        RETIRED = "retired", _("退休")
        DECEASED = "deceased", _("去世")

    cadre = models.ForeignKey(
        Cadre, on_delete=models.CASCADE, related_name="history", verbose_name=_("干部")
    )
    # empty only on a record read from a 任免审批表's 简历, whose unit is free text (``text``)
    unit = models.ForeignKey(
        Org,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("单位"),
    )
    position = models.CharField(_("职务"), max_length=100, blank=True)
    text = models.CharField(_("简历原文"), max_length=300, blank=True)
    rank_title = models.ForeignKey(
        RankTitle, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rank = models.CharField(_("职级层次"), max_length=20, choices=Cadre.Rank.choices, blank=True)
    personnel_category = models.ForeignKey(
        PersonnelCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start = models.DateField(_("任职时间"))
    end = models.DateField(_("结束时间"), null=True, blank=True)
    end_reason = models.CharField(
        _("结束原因"), max_length=12, choices=EndReason.choices, blank=True
    )

    class Meta:
        ordering = ["cadre", "start", "id"]
        indexes = [
            models.Index(fields=["cadre", "start"]),
            models.Index(fields=["unit", "start"]),
            # the current records started lately: the promotions on the compliance page
            models.Index(fields=["end", "start"], name="history_end_start"),
        ]
        verbose_name = _("任职经历")

    def __str__(self):
        return f"{self.start} {self.position}"

    # As the cadre's record: whoever may see the cadre sees the whole history.
    scope_parent = "cadre"


class RosterImportBatch(models.Model):
    """One committed write transaction of a roster import job: which file rows it created and
    updated (runs of row numbers) and which units it created. Written in the same transaction
    as the rows themselves, so a job delivered again after its worker was killed knows exactly
    what its earlier delivery wrote and reports the same counts as a run never interrupted."""

    job = models.ForeignKey("core.Job", on_delete=models.CASCADE, related_name="+")
    created_rows = models.JSONField(default=list)  # [[first, last], ...] file row numbers
    updated_rows = models.JSONField(default=list)
    created_units = models.JSONField(default=list)  # names

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"roster import batch {self.pk} of job {self.job_id}"
