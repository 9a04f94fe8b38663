"""{% pending_changes program as n %}: how many timetable changes wait to be told."""

from django import template

from ganxun.enrollment.services.changes import pending_count

register = template.Library()


@register.simple_tag
def pending_changes(program) -> int:
    return pending_count(program)
