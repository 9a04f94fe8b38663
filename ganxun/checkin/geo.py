"""Is the phone in the classroom? The optional geofence of a venue (纬度, 经度, 签到范围)."""

import math

from django.utils.translation import gettext as _

from ganxun.checkin.errors import CheckinError

EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine): metres between two WGS-84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def has_geofence(venue) -> bool:
    return bool(
        venue is not None
        and venue.geofence_m
        and venue.latitude is not None
        and venue.longitude is not None
    )


def parse_position(lat, lng) -> tuple[float, float] | None:
    """The browser's position from the form, or None when missing or not a coordinate."""
    try:
        la, lo = float(lat), float(lng)
    except (TypeError, ValueError):
        return None
    if not (-90 <= la <= 90 and -180 <= lo <= 180) or math.isnan(la) or math.isnan(lo):
        return None
    return la, lo


def require_inside(venue, position: tuple[float, float] | None) -> None:
    """Refuse (out_of_range) unless the venue has no geofence or the phone is inside it."""
    if not has_geofence(venue):
        return
    if position is None:
        raise CheckinError(
            "out_of_range",
            _("本教室要求现场签到：请允许浏览器获取位置后重试。"),
        )
    away = distance_m(position[0], position[1], float(venue.latitude), float(venue.longitude))
    if away > venue.geofence_m:
        raise CheckinError(
            "out_of_range",
            _(
                "您不在%(venue)s的签到范围内（距教室约 %(away).0f 米，"
                "须在 %(limit)s 米内），请到现场后再扫码。"
            )
            % {"venue": venue.name, "away": away, "limit": venue.geofence_m},
        )
