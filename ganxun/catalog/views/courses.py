"""The section overview, themes and courses. Thin: parse, call, render."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ganxun.catalog import policies, selectors, services
from ganxun.catalog.forms import CourseForm, ThemeForm
from ganxun.catalog.forms_filters import course_filter_form
from ganxun.catalog.models import Course, Lecturer, Material
from ganxun.catalog.views.common import (
    can_edit,
    delete_view,
    form_page,
    handle_form,
    list_page,
    new_action,
    section,
    share_view,
)
from ganxun.core.errors import DomainError
from ganxun.core.http import require


@require(policies.can_view_catalog)
def index(request):
    actor = request.user
    published = Course.objects.visible_to(actor).filter(status=Course.Status.PUBLISHED)
    context = {
        "counts": selectors.catalog_counts(actor),
        "share": selectors.interactive_share(published),
        "themes": selectors.theme_list(actor),
    }
    return section(request, "catalog/index.html", "index", context)


# --- themes ----------------------------------------------------------------------------------


@require(policies.can_view_catalog)
def theme_list(request):
    form = ThemeForm(request.POST or None)
    saved = handle_form(
        request,
        form,
        lambda: services.theme_save(actor=request.user, theme=None, **_theme_values(form)),
        success=_("已新建专题“{obj}”。"),
    )
    if saved:
        return redirect("catalog:themes")
    themes = list(selectors.theme_list(request.user))
    editable = {t.pk for t in themes if can_edit(request, t)}
    context = {"form": form, "themes": themes, "editable": editable}
    return section(request, "catalog/themes.html", "themes", context)


@require(policies.can_edit_catalog)
def theme_edit(request, pk):
    theme = selectors.get_theme_for(request.user, pk)
    initial = {f: getattr(theme, f) for f in ("name", "color", "sort", "description")}
    form = ThemeForm(request.POST or None, initial=initial)
    if handle_form(
        request,
        form,
        lambda: services.theme_save(actor=request.user, theme=theme, **_theme_values(form)),
        success=_("已保存。"),
    ):
        return redirect("catalog:themes")
    return form_page(
        request,
        form,
        tab="themes",
        title=_("修改专题“%(theme)s”") % {"theme": theme.name},
        cancel=reverse("catalog:themes"),
        delete_action=reverse("catalog:theme_delete", args=[theme.pk]),
    )


def _theme_values(form) -> dict:
    d = form.cleaned_data
    return {
        "name": d["name"],
        "color": d["color"],
        "sort": d["sort"] or 0,
        "description": d["description"],
    }


theme_delete = delete_view(
    selectors.get_theme_for,
    lambda actor, theme: services.theme_delete(actor=actor, theme=theme),
    done_url="catalog:themes",
    back_url="catalog:theme_edit",
)


# --- courses ---------------------------------------------------------------------------------


@require(policies.can_view_catalog)
def course_list(request):
    form = course_filter_form(request.user, request.GET)
    courses = selectors.course_search(request.user, form.filters())
    return list_page(
        request,
        tab="courses",
        heading=_("课程库"),
        actions=new_action(request, _("新建课程"), "catalog:course_create"),
        partial="catalog/_course_table.html",
        filter_form=form,
        queryset=courses,
        share=selectors.interactive_share(courses),
    )


@require(policies.can_view_catalog)
def course_detail(request, pk):
    actor = request.user
    course = selectors.get_course_for(actor, pk)
    lecturers = list(course.lecturers.all())
    materials = list(course.materials.all())
    context = {
        "course": course,
        "lecturers": lecturers,
        "materials": materials,
        "open_lecturers": selectors.visible_ids(actor, Lecturer, lecturers),
        "open_materials": selectors.visible_ids(actor, Material, materials),
        "bases": selectors.course_bases(actor, course),
        "editable": can_edit(request, course),
    }
    return section(request, "catalog/course_detail.html", "courses", context)


@require(policies.can_edit_catalog)
def course_create(request):
    form = CourseForm(request.POST or None, actor=request.user, initial={"hours": 3})
    course = handle_form(
        request,
        form,
        lambda: services.course_create(actor=request.user, data=form.to_data()),
        success=_("已新建课程“{obj}”。"),
    )
    if course:
        return redirect("catalog:course", pk=course.pk)
    return form_page(
        request, form, tab="courses", title=_("新建课程"), cancel=reverse("catalog:courses")
    )


@require(policies.can_edit_catalog)
def course_edit(request, pk):
    course = selectors.get_course_for(request.user, pk)
    form = CourseForm(
        request.POST or None, actor=request.user, initial=CourseForm.initial_for(course)
    )
    if handle_form(
        request,
        form,
        lambda: services.course_update(actor=request.user, course=course, data=form.to_data()),
        success=_("已保存。"),
    ):
        return redirect("catalog:course", pk=course.pk)
    return form_page(
        request,
        form,
        tab="courses",
        title=_("修改“%(course)s”") % {"course": course.title},
        cancel=reverse("catalog:course", args=[course.pk]),
    )


@require_POST
@require(policies.can_edit_catalog)
def course_status(request, pk):
    course = selectors.get_course_for(request.user, pk)
    status = request.POST.get("status", "")
    try:
        services.course_set_status(actor=request.user, course=course, status=status)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("“%(course)s”已%(status)s。")
            % {"course": course.title, "status": course.get_status_display()},
        )
    return redirect("catalog:course", pk=course.pk)


course_share = share_view(selectors.get_course_for, "catalog:course")
