"""The faculty pool (师资库)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ganxun.catalog.models.sharing import SharedResource

TAG_SEPARATORS = "、,，;；/ \u3000"


def split_tags(raw: str) -> list[str]:
    """专长 as typed by people: 顿号, commas, semicolons or spaces all separate tags."""
    text = str(raw or "")
    for sep in TAG_SEPARATORS[1:]:
        text = text.replace(sep, TAG_SEPARATORS[0])
    seen: list[str] = []
    for tag in text.split(TAG_SEPARATORS[0]):
        tag = tag.strip()
        if tag and tag not in seen:
            seen.append(tag)
    return seen


class Lecturer(SharedResource):
    class Kind(models.TextChoices):
        LEADER = "leader", _("市/县领导干部")
        DEPT_HEAD = "dept_head", _("部门一把手")
        PARTY_SCHOOL = "party_school", _("党校教师")
        SCHOLAR = "scholar", _("专家学者")
        ENTREPRENEUR = "entrepreneur", _("企业家")
        MODEL = "model", _("先进典型")
        OTHER = "other", _("其他")

    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    affiliation = models.CharField(_("工作单位"), max_length=100, blank=True)
    title = models.CharField(_("职务/职称"), max_length=100, blank=True)
    # Tags joined by 、 — few per person, searched by substring, imported from one Excel cell.
    specialties = models.CharField(_("专长领域"), max_length=300, blank=True)
    is_external = models.BooleanField(_("外聘"), default=False)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    bio = models.TextField(_("简介"), blank=True)
    availability = models.CharField(_("可授课时间"), max_length=300, blank=True)
    cadre = models.ForeignKey(
        "orgs.Cadre",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("关联干部"),
    )
    is_active = models.BooleanField(_("在库"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("授课教师")

    def __str__(self):
        return self.name

    @property
    def specialty_list(self) -> list[str]:
        return split_tags(self.specialties)
