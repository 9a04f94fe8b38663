"""Programs, units, classrooms and trainee lists. Thin: parse, call one service, render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.core.bulk import repost_fields
from ganxun.core.errors import PermissionDenied
from ganxun.core.http import action_view, bulk_step, page_or_partial, paginate, require
from ganxun.orgs.selectors import cadre_search
from ganxun.programs import policies, selectors, services
from ganxun.programs.forms import ProgramForm, TraineePickForm, UnitForm, VenueForm
from ganxun.programs.models import Program
from ganxun.programs.services.batches import program_venues
from ganxun.programs.services.programs import VENUE_FIELDS
from ganxun.programs.views.common import (
    form_in,
    form_view,
    managed,
    program_page,
    to_detail,
    warn_duty_coverage,
)


@require(policies.can_manage_programs)
def program_list(request):
    q, status = request.GET.get("q", "").strip(), request.GET.get("status", "")
    programs = selectors.program_list(request.user, q=q, status=status)
    context = {
        "page": paginate(request, programs, 30),
        "q": q,
        "status": status,
        "statuses": Program.Status.choices,
        "query": request.GET.urlencode(),
    }
    return page_or_partial(
        request, "programs/program_list.html", "programs/_program_table.html", context
    )


program_create = form_view(
    policies.can_manage_programs,
    form=lambda request, _none: ProgramForm(request.POST or None, actor=request.user),
    save=lambda request, form, _none: services.program_create(
        actor=request.user, data=form.to_data()
    ),
    success=gettext_lazy("已创建培训项目。"),
    to=lambda _none, program: to_detail(program),
    page=form_in(title=gettext_lazy("新建培训项目"), cancel=reverse_lazy("programs:list")),
)


def _program_form(request, program):
    reviewers = selectors.program_reviewers(program)
    subs = Program.sub_venues.through.objects.filter(program=program).values_list(
        "venue_id", flat=True
    )
    initial = ProgramForm.initial_for(program, reviewers, subs)
    return ProgramForm(request.POST or None, actor=request.user, initial=initial)


program_edit = form_view(
    policies.can_manage_programs,
    get=selectors.get_managed_program_for,
    form=_program_form,
    save=lambda request, form, program: services.program_update(
        actor=request.user, program=program, data=form.to_data()
    ),
    success=gettext_lazy("已保存。"),
    to=to_detail,
    page=form_in(
        title=lambda program: _("修改“%(program)s”") % {"program": program},
        cancel=to_detail,
        program=lambda program: program,
    ),
)


@require(policies.can_use_programs)
def program_detail(request, pk):
    actor = request.user
    program = selectors.get_program_for(actor, pk)
    if not (policies.can_manage_programs(actor) or policies.is_reviewer_of(actor, program)):
        return redirect("programs:sessions", pk=program.pk)
    _main, subs = program_venues(program)
    context = {
        "units": selectors.program_units(program),
        "reviewers": selectors.program_reviewers(program),
        "sub_venues": subs,
        "counts": selectors.program_list(actor).filter(pk=program.pk).first(),
    }
    return program_page(request, "programs/program_detail.html", program, "overview", context)


# --- units -----------------------------------------------------------------------------------


UNIT_FIELDS = ("seq", "title", "theme", "start_date", "end_date", "summary_due", "description")


def _unit_form(request, unit):
    initial = {name: getattr(unit, name) for name in UNIT_FIELDS}
    initial["materials"] = list(
        unit.materials.through.objects.filter(programunit=unit).values_list(
            "material_id", flat=True
        )
    )
    return UnitForm(request.POST or None, actor=request.user, initial=initial)


def _unit_to_program(unit, _result=None) -> str:
    return to_detail(unit.program)


unit_create = form_view(
    policies.can_manage_programs,
    get=selectors.get_managed_program_for,
    form=lambda request, program: UnitForm(
        request.POST or None,
        actor=request.user,
        initial={"start_date": program.start_date, "end_date": program.end_date},
    ),
    save=lambda request, form, program: services.unit_save(
        actor=request.user, program=program, data=form.to_data()
    ),
    success=gettext_lazy("已添加单元。"),
    to=to_detail,
    page=form_in(title=gettext_lazy("添加单元"), cancel=to_detail, program=lambda p: p),
)
unit_edit = form_view(
    policies.can_manage_programs,
    get=managed(selectors.get_unit_for),
    form=_unit_form,
    save=lambda request, form, unit: services.unit_save(
        actor=request.user, program=unit.program, unit=unit, data=form.to_data()
    ),
    success=gettext_lazy("已保存单元。"),
    to=_unit_to_program,
    page=form_in(
        title=lambda unit: _("修改%(unit)s") % {"unit": unit},
        cancel=_unit_to_program,
        program=lambda unit: unit.program,
        delete_action=lambda unit: reverse("programs:unit_delete", args=[unit.pk]),
    ),
)


unit_delete = action_view(
    policies.can_manage_programs,
    get=selectors.get_unit_for,
    call=lambda request, unit: services.unit_delete(actor=request.user, unit=unit),
    success=lambda unit, _deleted: _("已删除%(unit)s。") % {"unit": unit},
    to=lambda unit: reverse("programs:unit_edit", args=[unit.pk]),
    done_to=lambda unit, _deleted: reverse("programs:detail", args=[unit.program_id]),
    once=False,
)


# --- classrooms ------------------------------------------------------------------------------


@require(policies.can_manage_programs)
def venue_list(request):
    venues = selectors.venue_list(request.user)
    editable = {v.pk for v in venues if policies.can_manage_venue(request.user, v)}
    return render(request, "programs/venue_list.html", {"venues": venues, "editable": editable})


def _managed_venue(actor, pk):
    venue = selectors.get_venue_for(actor, pk)
    if not policies.can_manage_venue(actor, venue):
        raise PermissionDenied()
    return venue


def _venue_form(request, venue):
    initial = {name: getattr(venue, name) for name in VENUE_FIELDS} if venue else None
    return VenueForm(request.POST or None, actor=request.user, initial=initial)


venue_create = form_view(
    policies.can_manage_programs,
    form=_venue_form,
    save=lambda request, form, _none: services.venue_save(actor=request.user, data=form.to_data()),
    success=gettext_lazy("已添加教室。"),
    to=lambda _none, _venue: reverse("programs:venues"),
    page=form_in(title=gettext_lazy("添加教室"), cancel=reverse_lazy("programs:venues")),
)
venue_edit = form_view(
    policies.can_manage_programs,
    get=_managed_venue,
    form=_venue_form,
    save=lambda request, form, venue: services.venue_save(
        actor=request.user, venue=venue, data=form.to_data()
    ),
    success=gettext_lazy("已保存。"),
    to=lambda _venue, _result: reverse("programs:venues"),
    page=form_in(
        title=lambda venue: _("修改“%(venue)s”") % {"venue": venue},
        cancel=reverse_lazy("programs:venues"),
    ),
)


# --- trainees --------------------------------------------------------------------------------


@require(policies.can_manage_programs)
def trainee_list(request, pk):
    actor = request.user
    program = selectors.get_program_for(actor, pk)
    pick = TraineePickForm(request.POST or None, actor=actor)
    preview = None
    if request.method == "POST":
        if not policies.can_manage_program(actor, program):
            raise PermissionDenied()
        if pick.is_valid():
            cadres = cadre_search(actor, pick.filters())
            # First a preview (who, by unit); the write only on confirming that same preview.
            step = bulk_step(
                request,
                pick,
                preview=lambda: services.trainees_add_preview(
                    actor=actor, program=program, cadres=cadres
                ),
                write=lambda fingerprint: services.trainees_add(
                    actor=actor, program=program, cadres=cadres, fingerprint=fingerprint
                ),
            )
            preview = step.preview
            if step.ok:
                messages.success(
                    request,
                    _("已添加 %(added)s 名学员（已在项目中的未重复添加）。") % {"added": step.done},
                )
                warn_duty_coverage(
                    request, program=program, cadre_ids=cadres.values_list("pk", flat=True)
                )
                return redirect("programs:trainees", pk=program.pk)
    trainees = selectors.program_trainees(program)
    context = {
        "preview": preview,
        "repost": repost_fields(request) if preview else [],
        "pick": pick,
        "page": paginate(request, trainees, 25),  # each row has two forms: under 60 KB
        "total": trainees.count(),
        "query": request.GET.urlencode(),
    }
    return program_page(request, "programs/trainees.html", program, "trainees", context)


trainee_remove = action_view(
    policies.can_manage_programs,
    get=selectors.get_trainee_for,
    call=lambda request, trainee: services.trainee_remove(actor=request.user, trainee=trainee),
    success=lambda trainee, _result: _("已将%(name)s移出项目。") % {"name": trainee.cadre.name},
    to=lambda trainee: reverse("programs:trainees", args=[trainee.program_id]),
    once=False,
)
