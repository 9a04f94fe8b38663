"""Programs, units, classrooms and trainee lists. Thin: parse, call one service, render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ganxun.core.bulk import bulk_confirmed, repost_fields
from ganxun.core.errors import DomainError, PermissionDenied
from ganxun.core.http import action_view, page_or_partial, paginate, require, run_action
from ganxun.orgs.selectors import cadre_search
from ganxun.programs import policies, selectors, services
from ganxun.programs.forms import ProgramForm, TraineePickForm, UnitForm, VenueForm
from ganxun.programs.models import Program
from ganxun.programs.services.batches import program_venues
from ganxun.programs.services.programs import VENUE_FIELDS
from ganxun.programs.views.common import (
    form_page,
    handle_form,
    program_page,
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


@require(policies.can_manage_programs)
def program_create(request):
    form = ProgramForm(request.POST or None, actor=request.user)
    program = handle_form(
        request,
        form,
        lambda: services.program_create(actor=request.user, data=form.to_data()),
        success=_("已创建培训项目。"),
    )
    if program:
        return redirect("programs:detail", pk=program.pk)
    return form_page(request, form, title=_("新建培训项目"), cancel=reverse("programs:list"))


@require(policies.can_manage_programs)
def program_edit(request, pk):
    program = selectors.get_managed_program_for(request.user, pk)
    reviewers = selectors.program_reviewers(program)
    subs = Program.sub_venues.through.objects.filter(program=program).values_list(
        "venue_id", flat=True
    )
    initial = ProgramForm.initial_for(program, reviewers, subs)
    form = ProgramForm(request.POST or None, actor=request.user, initial=initial)
    if handle_form(
        request,
        form,
        lambda: services.program_update(actor=request.user, program=program, data=form.to_data()),
        success=_("已保存。"),
    ):
        return redirect("programs:detail", pk=program.pk)
    cancel = reverse("programs:detail", args=[program.pk])
    return form_page(
        request,
        form,
        title=_("修改“%(program)s”") % {"program": program},
        cancel=cancel,
        program=program,
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


@require(policies.can_manage_programs)
def unit_create(request, pk):
    program = selectors.get_managed_program_for(request.user, pk)
    form = UnitForm(
        request.POST or None,
        actor=request.user,
        initial={"start_date": program.start_date, "end_date": program.end_date},
    )
    if handle_form(
        request,
        form,
        lambda: services.unit_save(actor=request.user, program=program, data=form.to_data()),
        success=_("已添加单元。"),
    ):
        return redirect("programs:detail", pk=program.pk)
    cancel = reverse("programs:detail", args=[program.pk])
    return form_page(request, form, title=_("添加单元"), cancel=cancel, program=program)


@require(policies.can_manage_programs)
def unit_edit(request, pk):
    unit = selectors.get_unit_for(request.user, pk)
    program = selectors.get_managed_program_for(request.user, unit.program_id)
    initial = {
        name: getattr(unit, name)
        for name in (
            "seq",
            "title",
            "theme",
            "start_date",
            "end_date",
            "summary_due",
            "description",
        )
    }
    initial["materials"] = list(
        unit.materials.through.objects.filter(programunit=unit).values_list(
            "material_id", flat=True
        )
    )
    form = UnitForm(request.POST or None, actor=request.user, initial=initial)
    if handle_form(
        request,
        form,
        lambda: services.unit_save(
            actor=request.user, program=program, unit=unit, data=form.to_data()
        ),
        success=_("已保存单元。"),
    ):
        return redirect("programs:detail", pk=program.pk)
    cancel = reverse("programs:detail", args=[program.pk])
    delete = reverse("programs:unit_delete", args=[unit.pk])
    return form_page(
        request,
        form,
        title=_("修改%(unit)s") % {"unit": unit},
        cancel=cancel,
        program=program,
        delete_action=delete,
    )


@require_POST
@require(policies.can_manage_programs)
def unit_delete(request, pk):
    unit = selectors.get_unit_for(request.user, pk)
    if run_action(
        request,
        lambda: services.unit_delete(actor=request.user, unit=unit),
        success=_("已删除%(unit)s。") % {"unit": unit},
        once=False,
    ):
        return redirect("programs:detail", pk=unit.program_id)
    return redirect("programs:unit_edit", pk=unit.pk)


# --- classrooms ------------------------------------------------------------------------------


@require(policies.can_manage_programs)
def venue_list(request):
    venues = selectors.venue_list(request.user)
    editable = {v.pk for v in venues if policies.can_manage_venue(request.user, v)}
    return render(request, "programs/venue_list.html", {"venues": venues, "editable": editable})


@require(policies.can_manage_programs)
def venue_create(request):
    form = VenueForm(request.POST or None, actor=request.user)
    if handle_form(
        request,
        form,
        lambda: services.venue_save(actor=request.user, data=form.to_data()),
        success=_("已添加教室。"),
    ):
        return redirect("programs:venues")
    return form_page(request, form, title=_("添加教室"), cancel=reverse("programs:venues"))


@require(policies.can_manage_programs)
def venue_edit(request, pk):
    venue = selectors.get_venue_for(request.user, pk)
    if not policies.can_manage_venue(request.user, venue):
        raise PermissionDenied()
    form = VenueForm(
        request.POST or None,
        actor=request.user,
        initial={name: getattr(venue, name) for name in VENUE_FIELDS},
    )
    if handle_form(
        request,
        form,
        lambda: services.venue_save(actor=request.user, venue=venue, data=form.to_data()),
        success=_("已保存。"),
    ):
        return redirect("programs:venues")
    return form_page(
        request,
        form,
        title=_("修改“%(venue)s”") % {"venue": venue},
        cancel=reverse("programs:venues"),
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
            confirmed, fingerprint = bulk_confirmed(request)
            try:
                if not confirmed:
                    preview = services.trainees_add_preview(
                        actor=actor, program=program, cadres=cadres
                    )
                else:
                    added = services.trainees_add(
                        actor=actor, program=program, cadres=cadres, fingerprint=fingerprint
                    )
            except DomainError as exc:
                pick.add_error(exc.field if exc.field in pick.fields else None, exc.message)
                if exc.code == "preview_stale":
                    preview = services.trainees_add_preview(
                        actor=actor, program=program, cadres=cadres
                    )
            else:
                if confirmed:
                    messages.success(
                        request,
                        _("已添加 %(added)s 名学员（已在项目中的未重复添加）。") % {"added": added},
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
