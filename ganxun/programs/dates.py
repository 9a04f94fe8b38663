"""Dates as people here read them: in the deployment's time zone, weeks from Monday, weekday
names and day formats in the active language (周六 / Sat)."""

from datetime import date, datetime

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

WEEKDAYS = "一二三四五六日"
WEEKDAY_NAMES = [
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
]


def weekday_name(day: date) -> str:
    return str(WEEKDAY_NAMES[day.weekday()])


def local_day(moment: datetime) -> date:
    """The calendar day in the deployment's time zone (Asia/Shanghai), not UTC's."""
    return timezone.localtime(moment).date()


def when_label(starts_at: datetime, ends_at: datetime) -> str:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    return _("%(date)s（%(weekday)s）%(start)s–%(end)s") % {
        "date": f"{start:%Y-%m-%d}",
        "weekday": weekday_name(start),
        "start": f"{start:%H:%M}",
        "end": f"{end:%H:%M}",
    }


def short_when(moment: datetime) -> str:
    """ "3月16日周六 09:00" / "Mar 16 Sat 09:00": a day and time on a home-page tile."""
    start = timezone.localtime(moment)
    return _("%(day)s%(weekday)s %(time)s") % {
        "day": dateformat.format(start, _("n月j日")),
        "weekday": weekday_name(start),
        "time": f"{start:%H:%M}",
    }


def half_day(moment: datetime) -> str:
    hour = timezone.localtime(moment).hour
    return _("上午") if hour < 12 else _("下午") if hour < 18 else _("晚上")
