"""Dates as people here read them: in the deployment's time zone, weeks from Monday."""

from datetime import date, datetime

from django.utils import timezone

WEEKDAYS = "一二三四五六日"


def local_day(moment: datetime) -> date:
    """The calendar day in the deployment's time zone (Asia/Shanghai), not UTC's."""
    return timezone.localtime(moment).date()


def when_label(starts_at: datetime, ends_at: datetime) -> str:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    return f"{start:%Y-%m-%d}（周{WEEKDAYS[start.weekday()]}）{start:%H:%M}–{end:%H:%M}"


def half_day(moment: datetime) -> str:
    hour = timezone.localtime(moment).hour
    return "上午" if hour < 12 else "下午" if hour < 18 else "晚上"
