"""Dates the way the timetable prints them: 2024-03-16（周六）09:00–11:30."""

from django import template
from django.utils import timezone

from ganxun.programs.dates import WEEKDAYS, when_label

register = template.Library()


@register.filter
def weekday(value) -> str:
    if not value:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return f"周{WEEKDAYS[value.weekday()]}"


@register.simple_tag
def when(session) -> str:
    return when_label(session.starts_at, session.ends_at)
