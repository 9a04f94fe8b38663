"""The section overview, themes and courses. Thin: parse, call, render."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.catalog import policies, selectors, services
from ganxun.catalog.forms import CourseForm, ThemeForm
from ganxun.catalog.forms_filters import course_filter_form
from ganxun.catalog.models import Course, Lecturer, Material
from ganxun.catalog.views.common import (
    can_edit,
    delete_view,
    form_in,
    resource_views,
    section,
    share_view,
)
from ganxun.core.http import action_view, form_view, require
from ganxun.core.resources import Resource


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


def _themes_page(request, form, _none):
    themes = list(selectors.theme_list(request.user))
    editable = {t.pk for t in themes if can_edit(request, t)}
    context = {"form": form, "themes": themes, "editable": editable}
    return section(request, "catalog/themes.html", "themes", context)


def _to_themes(_theme, _saved=None) -> str:
    return reverse("catalog:themes")


theme_list = form_view(  # the list, with the form that adds a theme
    policies.can_view_catalog,
    form=lambda request, _none: ThemeForm(request.POST or None),
    save=lambda request, form, _none: services.theme_save(
        actor=request.user, theme=None, **_theme_values(form)
    ),
    success=lambda obj: _("已新建专题“{obj}”。").format(obj=obj),
    to=_to_themes,
    page=_themes_page,
)
theme_edit = form_view(
    policies.can_edit_catalog,
    get=selectors.get_theme_for,
    form=lambda request, theme: ThemeForm(
        request.POST or None,
        initial={f: getattr(theme, f) for f in ("name", "color", "sort", "description")},
    ),
    save=lambda request, form, theme: services.theme_save(
        actor=request.user, theme=theme, **_theme_values(form)
    ),
    success=gettext_lazy("已保存。"),
    to=_to_themes,
    page=form_in(
        "themes",
        title=lambda theme: _("修改专题“%(theme)s”") % {"theme": theme.name},
        cancel=_to_themes,
        extra=lambda request, theme: {
            "delete_action": reverse("catalog:theme_delete", args=[theme.pk])
        },
    ),
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


def _course_context(request, course) -> dict:
    actor = request.user
    lecturers = list(course.lecturers.all())
    materials = list(course.materials.all())
    return {
        "lecturers": lecturers,
        "materials": materials,
        "open_lecturers": selectors.visible_ids(actor, Lecturer, lecturers),
        "open_materials": selectors.visible_ids(actor, Material, materials),
        "bases": selectors.course_bases(actor, course),
        "editable": can_edit(request, course),
    }


def _course_form(request, course):
    initial = CourseForm.initial_for(course) if course else {"hours": 3}
    return CourseForm(request.POST or None, actor=request.user, initial=initial)


COURSES = resource_views(
    Resource(
        key="course",
        model=Course,
        app="catalog",
        plural="courses",
        get=selectors.get_course_for,
        can_view=policies.can_view_catalog,
        can_edit=policies.can_edit_catalog,
        search=selectors.course_search,
        filter_form=course_filter_form,
        form=_course_form,
        create=lambda request, form: services.course_create(
            actor=request.user, data=form.to_data()
        ),
        update=lambda request, form, course: services.course_update(
            actor=request.user, course=course, data=form.to_data()
        ),
        detail=_course_context,
        heading=gettext_lazy("课程库"),
        new_label=gettext_lazy("新建课程"),
        create_title=gettext_lazy("新建课程"),
        created=gettext_lazy("已新建课程“{obj}”。"),
        saved=gettext_lazy("已保存。"),
        edit_title=lambda course: _("修改“%(course)s”") % {"course": course.title},
        list_extra=lambda request, courses: {"share": selectors.interactive_share(courses)},
    )
)
course_list = COURSES.list_view()
course_detail = COURSES.detail_view()
course_create = COURSES.create_view()
course_edit = COURSES.edit_view()


course_status = action_view(
    policies.can_edit_catalog,
    get=selectors.get_course_for,
    call=lambda request, course: services.course_set_status(
        actor=request.user, course=course, status=request.POST.get("status", "")
    ),
    # read after the change: the status the course now has
    success=lambda course, _result: (
        _("“%(course)s”已%(status)s。")
        % {"course": course.title, "status": course.get_status_display()}
    ),
    to=lambda course: reverse("catalog:course", args=[course.pk]),
)


course_share = share_view(selectors.get_course_for, "catalog:course")
