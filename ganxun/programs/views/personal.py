"""Pages of one person: the lecturer's teaching, the trainee's schedule and progress, a
representative's expectations, and the organizer's consultation record."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.accounts.models import Role
from ganxun.core.errors import NotFound, PermissionDenied
from ganxun.core.http import action_view, require
from ganxun.core.scoping import children_of
from ganxun.core.values import query_int
from ganxun.programs import policies, rooms, selectors, services
from ganxun.programs.forms_sessions import ConsultationForm, ExpectationForm
from ganxun.programs.models import Expectation
from ganxun.programs.services.consultations import representative_for
from ganxun.programs.views.common import form_in, form_view, managed, to_session


@require(lambda u: u.has_role(Role.LECTURER))
def teaching(request):
    """我的授课: the lecturer's sessions with their outline state and deadline."""
    sessions = selectors.lecturer_sessions(request.user)
    linked = policies.can_teach(request.user)
    return render(request, "programs/teaching.html", {"sessions": sessions, "linked": linked})


@require(lambda u: u.has_role(Role.TRAINEE))
def my_schedule(request):
    """我的课表: upcoming sessions of the trainee's batch, and each program's progress."""
    rows = selectors.my_trainee_rows(request.user)
    now = timezone.now()
    upcoming = selectors.trainee_sessions(request.user, rows).filter(ends_at__gte=now)
    clashes = selectors.my_double_bookings(request.user, since=now)
    sessions = list(upcoming[:20])
    assigned = {r.program_id: r.venue for r in rows}
    for s in sessions:  # the room this trainee sits in, not the program's assignment
        s.clash = clashes.get(s.pk, "")
        s.my_room = rooms.session_room(s, assigned.get(s.program_id))
    context = {"rows": rows, "sessions": sessions, "now": now}
    return render(request, "programs/my_schedule.html", context)


def _my_row(request, program_pk):
    rows = [
        r for r in selectors.my_trainee_rows(request.user) if str(r.program_id) == str(program_pk)
    ]
    if not rows:
        raise NotFound()
    return rows[0]


@require(policies.can_use_programs)
def my_progress(request, pk):
    """Progress through each unit's closed loop, ticked on a phone."""
    if not policies.is_trainee(request.user):
        raise PermissionDenied()
    row = _my_row(request, pk)
    program = row.program
    units = selectors.program_units(program)
    context = {
        "row": row,
        "program": program,
        "progress": selectors.unit_progress(program, row, units),
        "today": timezone.localdate(),
    }
    return render(request, "programs/my_progress.html", context)


def _step_mark(request, unit):
    material_id = query_int(request.POST.get("material"), min_value=1)
    material = selectors.unit_material(unit, material_id)
    return services.step_mark(
        actor=request.user,
        unit=unit,
        kind=request.POST.get("kind", ""),
        material=material,
        done=request.POST.get("done") != "0",
        text=request.POST.get("text", ""),
    )


step_mark = action_view(
    policies.can_use_programs,
    get=selectors.get_unit_for,
    call=_step_mark,
    success=gettext_lazy("已记录。"),
    to=lambda unit: reverse("programs:my_progress", args=[unit.program_id]) + f"#unit-{unit.pk}",
    once=False,
)


def _representative(actor, pk):
    session = selectors.get_session_for(actor, pk)
    session.rep = representative_for(actor, session)
    if session.rep is None:
        raise PermissionDenied()
    return session


def _expectation_form(request, session):
    mine = children_of(session.rep, Expectation, "representative")
    mine = mine.filter(consultation__session=session).first()
    return ExpectationForm(request.POST or None, initial={"text": mine.text if mine else ""})


# A trainee representative sends expectations before the consultation, on a phone.
expectation = form_view(
    policies.can_use_programs,
    get=_representative,
    form=_expectation_form,
    save=lambda request, form, session: services.expectation_submit(
        actor=request.user, session=session, text=form.cleaned_data["text"]
    ),
    success=gettext_lazy("已提交学习期望，授课教师会在研议前看到。"),
    to=to_session,
    page=form_in(
        title=lambda session: _("学习期望：%(title)s") % {"title": session.title},
        cancel=to_session,
        narrow=True,
    ),
)


def _consultation_form(request, session):
    lecturers = list(session.lecturers.all())
    existing = selectors.session_consultation(session)
    initial = {"held_on": timezone.localdate()}
    if existing:
        reps = existing.representatives.all()
        names = [r.cadre.name for r in reps]
        initial = {
            "held_on": existing.held_on,
            "lecturer": existing.lecturer_id,
            "representatives": _("、").join(
                f"{r.cadre.name}（{r.cadre.unit.name}）"
                if names.count(r.cadre.name) > 1
                else r.cadre.name
                for r in reps
            ),
            "direction": existing.direction,
            "adjustments": existing.adjustments,
        }
    elif lecturers:
        initial["lecturer"] = lecturers[0].pk
    return ConsultationForm(
        request.POST or None, session=session, lecturers=lecturers, initial=initial
    )


consultation_edit = form_view(
    policies.can_manage_programs,
    get=managed(selectors.get_session_for),
    form=_consultation_form,
    save=lambda request, form, session: services.consultation_save(
        actor=request.user, session=session, data=form.to_data()
    ),
    success=gettext_lazy("已保存三方研议记录。"),
    to=to_session,
    page=form_in(
        title=lambda session: _("三方研议：%(title)s") % {"title": session.title},
        cancel=to_session,
        program=lambda session: session.program,
        guidance=gettext_lazy(
            "课前由教学组织者、授课教师和学员代表三方研议：教师阐述教学方向，学员代表提出学习期望（代表可事先用手机提交），共同商定课程内容和方法的调整。"
        ),
    ),
)
