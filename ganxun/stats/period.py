"""The period a report covers: a calendar year, or any date range (both ends included)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.stats.errors import StatsError

MAX_DAYS = 366 * 5
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def of_year(cls, year: int) -> "Period":
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise StatsError(
                "invalid_year",
                _("年度应在 %(min)s 到 %(max)s 之间。") % {"min": MIN_YEAR, "max": MAX_YEAR},
                field="year",
            )
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def between(cls, start: date, end: date) -> "Period":
        if end < start:
            raise StatsError("invalid_period", _("结束日期不能早于开始日期。"), field="end")
        if (end - start).days > MAX_DAYS:
            raise StatsError("period_too_long", _("统计区间最长五年。"), field="end")
        return cls(start, end)

    @property
    def year(self) -> int | None:
        """The calendar year when the period is exactly one; yearly figures need it."""
        whole = self.start == date(self.start.year, 1, 1) and self.end == date(
            self.start.year, 12, 31
        )
        return self.start.year if whole else None

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    @property
    def label(self) -> str:
        if self.year:
            return _("%(year)s年") % {"year": self.year}
        return _("%(start)s 至 %(end)s") % {
            "start": f"{self.start:%Y-%m-%d}",
            "end": f"{self.end:%Y-%m-%d}",
        }

    def moments(self) -> tuple[datetime, datetime]:
        """[first instant, instant after the last day) in the site's time zone."""
        tz = timezone.get_current_timezone()
        first = timezone.make_aware(datetime.combine(self.start, time.min), tz)
        after = timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min), tz)
        return first, after

    def query(self) -> str:
        if self.year:
            return f"year={self.year}"
        return f"start={self.start:%Y-%m-%d}&end={self.end:%Y-%m-%d}"
