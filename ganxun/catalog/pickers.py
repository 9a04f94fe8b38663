"""Picker sources for lecturers and courses (core/picker.py): the catalogue the actor sees."""

from django.db.models import Q

from ganxun.catalog.models import Course, Lecturer
from ganxun.core.picker import Choice, PickerSource, register_picker


def search_lecturers(actor, query: str, *, within: str = ""):
    found = Lecturer.objects.visible_to(actor)
    if query:
        found = found.filter(Q(name__icontains=query) | Q(title__icontains=query))
    return found.order_by("name", "id")


def lecturer_choice(lecturer: Lecturer) -> Choice:
    return Choice(value=str(lecturer.pk), label=lecturer.name, hint=lecturer.title)


def search_courses(actor, query: str, *, within: str = ""):
    found = Course.objects.visible_to(actor).select_related("theme")
    if query:
        found = found.filter(title__icontains=query)
    return found.order_by("title", "id")


def course_choice(course: Course) -> Choice:
    return Choice(
        value=str(course.pk), label=course.title, hint=course.theme.name if course.theme else ""
    )


register_picker("lecturer", PickerSource(search=search_lecturers, choice=lecturer_choice))
register_picker("course", PickerSource(search=search_courses, choice=course_choice))
