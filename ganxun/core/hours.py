"""学时 — the one definition every app reads (ledger, statistics, annual report, budgets,
enrollment's leave limits, certificates, pages, exports, CLI and API).

A session's 学时 is
  * the hours set on the session (``Session.credit_hours``) when the organizer fixed them
    (many programs fix "半天 = 4 学时"), otherwise
  * its length divided by the minutes of one 学时, rounded DOWN to half a 学时.

The minutes of one 学时 is a setting: the crediting rules row (``credits.CreditSettings``,
owned by the root organization and edited by its administrators) supplies it through the
provider the credits app registers on start; without one (tests of core alone) the default
below applies. Cancelled sessions count nothing — callers filter them.

Source of the default: the 干部教育培训工作条例 (2023) sets requirements in 学时 (550 per five
years, 90 per year) without fixing the length of one 学时; the default follows the class period
(课时) of party schools and administrative colleges, 45 minutes, and rounds down to half a 学时
as online-learning platforms do. Local rules differ (南京 counts one hour = 1 学分), hence the
setting.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext_lazy

DEFAULT_MINUTES_PER_HOUR = 45
SOURCE = gettext_lazy(
    "《干部教育培训工作条例》（2023）以学时规定培训要求，未规定 1 学时的分钟数；"
    "默认按党校（行政学院）1 课时 = 45 分钟计，向下取到 0.5 学时；"
    "课次单独设定学时的（如“半天 = 4 学时”）以课次为准。"
)
SOURCE_URL = "https://12371.cn/2023/10/17/ARTI1697545618025106.shtml"

HALF = Decimal("0.5")
ZERO = Decimal("0")


@dataclass(frozen=True)
class HoursRule:
    minutes_per_hour: int = DEFAULT_MINUTES_PER_HOUR


_provider: Callable[[], HoursRule] | None = None


def register_rule_provider(provider: Callable[[], HoursRule]) -> None:
    """The credits app registers the reader of its settings row here (core imports no app)."""
    global _provider
    _provider = provider


def current_rule() -> HoursRule:
    return _provider() if _provider else HoursRule()


def floor_half(value: Decimal) -> Decimal:
    """Round down to half a 学时 (never less than half is counted)."""
    if value <= 0:
        return ZERO
    return (value / HALF).to_integral_value(rounding=ROUND_FLOOR) * HALF


def minutes_of(length) -> int:
    """Whole minutes of a length given as a timedelta or as microseconds."""
    if length is None:
        return 0
    seconds = length.total_seconds() if isinstance(length, timedelta) else length / 1_000_000
    return max(int(seconds // 60), 0)


def hours_for_minutes(minutes: int, rule: HoursRule | None = None) -> Decimal:
    rule = rule or current_rule()
    return floor_half(Decimal(minutes) / Decimal(rule.minutes_per_hour))


def hours_of(length, override=None, rule: HoursRule | None = None) -> Decimal:
    """学时 of one session from its length and the hours set on it (``None`` = not set)."""
    if override is not None:
        return Decimal(override)
    return hours_for_minutes(minutes_of(length), rule)


def session_minutes(session) -> int:
    return minutes_of(session.ends_at - session.starts_at)


def session_hours(session, rule: HoursRule | None = None) -> Decimal:
    """学时 of a session object (anything with ``starts_at``, ``ends_at``, ``credit_hours``)."""
    return hours_of(session.ends_at - session.starts_at, session.credit_hours, rule)
