"""Themes (专题单元, coloured) and courses (课程库)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ganxun.catalog.models.sharing import SharedResource
from ganxun.orgs.models import Cadre


class Theme(SharedResource):
    """A thematic unit with a colour, e.g. Lüliang's red 理想信念 or gold 综合能力."""

    name = models.CharField(_("名称"), max_length=50)
    color = models.CharField(_("颜色"), max_length=7, default="#b3261e")
    sort = models.PositiveIntegerField(_("排序"), default=0)
    description = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["sort", "name", "id"]
        verbose_name = _("专题")
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="uniq_theme_owner_name")
        ]

    def __str__(self):
        return self.name


class TeachingForm(models.TextChoices):
    LECTURE = "lecture", _("专题讲座")
    CASE = "case", _("案例教学")
    SEMINAR = "seminar", _("研讨式")
    SITE_VISIT = "site_visit", _("现场教学/观摩")
    SIMULATION = "simulation", _("情景模拟")
    OUTDOOR = "outdoor", _("户外拓展")
    WORKSHOP = "workshop", _("主题工作坊")
    ACTION_LEARNING = "action_learning", _("行动学习/课题任务")
    ONLINE = "online", _("网络课程")
    READING = "reading", _("读书研讨")
    PRACTICE = "practice", _("实践锻炼")


# Lüliang counts 研讨式、案例式、观摩式 teaching and 实地观摩+实操实训 as interactive (互动教学比重
# 75%); a lecture and a recorded online course are one-way.
INTERACTIVE_FORMS = frozenset(TeachingForm.values) - {TeachingForm.LECTURE, TeachingForm.ONLINE}


def is_interactive(form: str) -> bool:
    return form in INTERACTIVE_FORMS


class Course(SharedResource):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        RETIRED = "retired", _("已停用")

    title = models.CharField(_("课程名称"), max_length=200, db_index=True)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("专题"),
    )
    form = models.CharField(
        _("教学形式"), max_length=20, choices=TeachingForm.choices, default=TeachingForm.LECTURE
    )
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, default=3)
    summary = models.TextField(_("课程简介"), blank=True)
    target_ranks = models.JSONField(_("面向职级"), default=list, blank=True)
    target_categories = models.ManyToManyField(
        "orgs.CadreCategory", blank=True, related_name="+", verbose_name=_("面向人员类别")
    )
    lecturers = models.ManyToManyField(
        "catalog.Lecturer", blank=True, related_name="courses", verbose_name=_("主讲人")
    )
    materials = models.ManyToManyField(
        "catalog.Material", blank=True, related_name="courses", verbose_name=_("教材资料")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("课程")
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self):
        return self.title

    @property
    def is_interactive(self) -> bool:
        return is_interactive(self.form)

    def target_rank_labels(self) -> list[str]:
        labels = dict(Cadre.Rank.choices)
        return [str(labels[r]) for r in self.target_ranks if r in labels]
