"""Dates the way the timetable prints them: 2024-03-16（周六）09:00–11:30."""

from django import template
from django.utils import timezone

from ganxun.programs.dates import weekday_name, when_label

register = template.Library()


@register.filter
def weekday(value) -> str:
    if not value:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return weekday_name(value)


@register.simple_tag
def when(session) -> str:
    return when_label(session.starts_at, session.ends_at)
