"""The outbox at scale: a reminder to 50,000 cadres written in one transaction, then delivered
at the configured rate.

On a scratch database (created, migrated and dropped by bench/harness.py):
  setup     — a city of 10 towns, ``--recipients`` cadres (bulk), an account for one in ten
  write     — ``outbox.send`` to every cadre in one transaction, everybody also by SMS: the
              Message, the in-app notices, the in-app and SMS deliveries (the issue's target:
              under 60 s on PostgreSQL)
  again     — the same send with the same key (idempotent: writes nothing)
  deliver   — ``--deliver`` of the SMS deliveries sent through the delivery loop
              (``deliver_channel``, claims, shared-counter rate, one UPDATE per result) to an
              in-process channel that only counts, at ``--rate``; the achieved rate is reported
              beside the configured one

    .venv/bin/python bench/bench_outbox.py --postgres postgres://postgres@127.0.0.1:5432
    .venv/bin/python bench/bench_outbox.py            # SQLite, for comparison
"""

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import print_result, scratch_django


def setup(recipients: int) -> list[int]:
    from ganxun.accounts.models import User
    from ganxun.core.scoping import unscoped
    from ganxun.orgs.models import Cadre, Org

    with unscoped():
        city = Org.objects.create(name="基准市", level="city", code="B0")
        towns = [
            Org.objects.create(name=f"基准镇{t}", level="township", code=f"B0{t:02d}", parent=city)
            for t in range(10)
        ]
        Cadre._base_manager.bulk_create(
            [
                Cadre(
                    name=f"干部{i}",
                    gender="M",
                    id_number=f"3302001980{i:08d}",
                    id_tail=f"{i:08d}"[-4:],
                    birth_date=date(1980, 1, 1),
                    unit=towns[i % 10],
                )
                for i in range(recipients)
            ],
            batch_size=2000,
        )
        ids = list(Cadre._base_manager.order_by("pk").values_list("pk", flat=True))
        User.objects.bulk_create(
            [
                User(username=f"bench{i}", org=towns[0], cadre_id=cadre_id, password="!")
                for i, cadre_id in enumerate(ids[::10])
            ],
            batch_size=2000,
        )
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="server URL, e.g. postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--recipients", type=int, default=50_000)
    parser.add_argument("--deliver", type=int, default=3_000)
    parser.add_argument("--rate", default="200/s")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with scratch_django("ganxun_bench_outbox", args.postgres):
        from django.conf import settings
        from django.db import connection, transaction

        from ganxun.core.scoping import unscoped
        from ganxun.messaging import delivery, preferences
        from ganxun.messaging.channels import registry
        from ganxun.messaging.channels.base import Channel, Sent
        from ganxun.messaging.models import Delivery
        from ganxun.messaging.outbox import To, send

        result: dict = {"vendor": connection.vendor, "recipients": args.recipients}
        started = time.perf_counter()
        ids = setup(args.recipients)
        result["setup_s"] = round(time.perf_counter() - started, 1)

        preferences.channels_for = lambda to, **kw: ["sms"]  # everybody also by SMS
        preferences.address_for = lambda to, channel: f"138{to.cadre_id:08d}"
        context = {
            "title": "学时提醒",
            "body": "您今年的学时尚差 12 学时，请在 12 月 31 日前完成。",
        }
        to = [To.cadre(pk) for pk in ids]
        started = time.perf_counter()
        with transaction.atomic():
            told = send(kind="hours_short", to=to, context=context, key="bench:hours:2026-12")
        result["write_s"] = round(time.perf_counter() - started, 2)
        with unscoped():
            result["rows"] = {
                "notices": _count("core_notice"),
                "deliveries": Delivery.objects.count(),
            }
        assert told == args.recipients, told
        started = time.perf_counter()
        again = send(kind="hours_short", to=to, context=context, key="bench:hours:2026-12")
        result["again_ms"] = round((time.perf_counter() - started) * 1000, 1)
        assert again == 0

        class Counting(Channel):
            code = "sms"
            label = "计数"
            sent = 0

            def send(self, message, address):
                Counting.sent += 1
                return Sent(provider_id=message.idempotency_key)

        channel = Counting()
        registry.channel = lambda code: channel if code == "sms" else None
        settings.GANXUN_OUTBOX_RATES = {"sms": args.rate}
        settings.GANXUN_OUTBOX_QUIET_HOURS = ""
        limit, window = delivery.parse_rate(args.rate)
        started = time.perf_counter()
        with unscoped():
            while Counting.sent < args.deliver:
                delivery.deliver_channel("sms", budget_seconds=5)
        elapsed = time.perf_counter() - started
        result["deliver"] = {
            "sent": Counting.sent,
            "seconds": round(elapsed, 1),
            "configured_per_s": round(limit / window, 1),
            "achieved_per_s": round(Counting.sent / elapsed, 1),
        }
        print_result(result, args.json)


def _count(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


if __name__ == "__main__":
    main()
