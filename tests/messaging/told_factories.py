"""A message of another county, for the URL walk (tests/test_scoping_http.py)."""

from ganxun.core.scoping import unscoped
from ganxun.messaging.outbox import To, send


def foreign_messaging(city, other_admin) -> dict:
    from ganxun.messaging.models import Message

    with unscoped():
        send(
            kind="test_notice",
            to=[To.user(other_admin)],
            context={"title": "西山区通知"},
            org_id=city.county_b.pk,
            sender=other_admin,
        )
        message = Message.objects.filter(org=city.county_b).latest("pk")
    return {"messaging/told/": message.pk}
