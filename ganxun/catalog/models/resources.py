"""Teaching resources: on-site teaching points, training bases and the materials library."""

import uuid
from pathlib import PurePath

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.catalog.models.sharing import SharedResource
from ganxun.core.scoping import ScopedManager

# Lüliang's four kinds; organizations may type their own.
SITE_KINDS = ["红色教育", "基层治理", "廉政教育", "转型发展"]


class TeachingSite(SharedResource):
    """现场教学点: a place cadres visit to see the work done (a memorial, a model village…)."""

    name = models.CharField(_("名称"), max_length=100, db_index=True)
    kind = models.CharField(_("类别"), max_length=20, db_index=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("可容纳人数"), null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    highlights = models.TextField(_("教学内容（可看什么）"), blank=True)

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name = _("现场教学点")

    def __str__(self):
        return self.name


class SiteVisit(models.Model):
    """A visit a teaching point hosted (the sessions issue will record these from sessions)."""

    site = models.ForeignKey(TeachingSite, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("日期"))
    group = models.CharField(_("来访班次/单位"), max_length=100)
    headcount = models.PositiveIntegerField(_("人数"))
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("接待记录")

    def __str__(self):
        return f"{self.visited_on} {self.group}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        return Q(site__in=TeachingSite.objects.visible_to(actor).values("pk"))


class TrainingBase(SharedResource):
    """培训基地 in or outside the region, often run with a partner (a university, party school)."""

    name = models.CharField(_("名称"), max_length=100, db_index=True)
    in_region = models.BooleanField(_("域内"), default=True)
    partner = models.CharField(_("合作机构"), max_length=100, blank=True)
    location = models.CharField(_("所在地"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("可容纳人数"), null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    note = models.TextField(_("说明"), blank=True)
    courses = models.ManyToManyField(
        "catalog.Course", blank=True, related_name="bases", verbose_name=_("可开设课程")
    )

    class Meta:
        ordering = ["-in_region", "name", "id"]
        verbose_name = _("培训基地")

    def __str__(self):
        return self.name


def material_upload_to(instance, filename: str) -> str:
    """A random name keeps uploads unguessable and free of the uploader's characters."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"catalog/materials/{uuid.uuid4().hex}{suffix}"


class Material(SharedResource):
    """教材库: books, case studies, documents and video courses."""

    class Kind(models.TextChoices):
        BOOK = "book", _("图书")
        CASE = "case", _("案例")
        DOCUMENT = "document", _("文件资料")
        VIDEO = "video", _("视频课程")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, db_index=True)
    title = models.CharField(_("标题"), max_length=200, db_index=True)
    authors = models.CharField(_("作者/编者"), max_length=200, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True, db_index=True)
    publisher = models.CharField(_("出版社"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("出版年份"), null=True, blank=True)
    summary = models.TextField(_("内容简介"), blank=True)
    file = models.FileField(_("文件"), upload_to=material_upload_to, blank=True, max_length=200)
    file_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(_("文件大小"), default=0)
    duration_seconds = models.PositiveIntegerField(_("时长（秒）"), null=True, blank=True)
    themes = models.ManyToManyField(
        "catalog.Theme", blank=True, related_name="materials", verbose_name=_("专题")
    )

    class Meta:
        ordering = ["kind", "title", "id"]
        verbose_name = _("教材资料")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "isbn"], condition=~Q(isbn=""), name="uniq_material_owner_isbn"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_video(self) -> bool:
        return self.kind == self.Kind.VIDEO

    @property
    def duration_display(self) -> str:
        if not self.duration_seconds:
            return ""
        minutes, seconds = divmod(self.duration_seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
