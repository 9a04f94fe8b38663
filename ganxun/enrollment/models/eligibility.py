"""培训对象 as structured criteria: a union of groups, each an intersection (see
``enrollment/eligibility.py``). ``Program.target_groups`` is the text these rows display."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.core.scoping import ScopedManager
from ganxun.programs.models import Program


class EligibilityGroup(models.Model):
    """One invited group of a program: any of the units (with their subtrees), any of the
    ranks, any of the categories, any of the leader roles, within the age range. An empty kind
    does not narrow."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="eligibility_groups"
    )
    seq = models.PositiveSmallIntegerField(_("序号"), default=1)
    units = models.ManyToManyField("orgs.Org", blank=True, related_name="+", verbose_name=_("单位"))
    ranks = models.JSONField(_("职级"), default=list, blank=True)
    categories = models.ManyToManyField(
        "orgs.CadreCategory", blank=True, related_name="+", verbose_name=_("人员类别")
    )
    leader_roles = models.JSONField(_("领导职务"), default=list, blank=True)
    min_age = models.PositiveSmallIntegerField(_("最低年龄"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("最高年龄"), null=True, blank=True)
    # The 培训对象 text these groups stand for. When the program form later changes the text,
    # it no longer matches and the text is read again (what is shown is what applies).
    for_text = models.CharField(max_length=300, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["program", "seq", "id"]
        verbose_name = _("培训对象组")

    def __str__(self):
        return f"{self.program_id}#{self.seq}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        return Q(program__in=Program.objects.visible_to(actor).values("pk"))
