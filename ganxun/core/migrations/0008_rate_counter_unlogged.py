"""PostgreSQL: the rate-limit counters are an UNLOGGED table (issue 19).

Every limited request (each scan, each sign-in) commits one increment; an unlogged table writes
no WAL for it, so that commit does not wait for a flush to disk. What it gives up is only what
a counter of windows of at most five minutes never needed: after a crash of PostgreSQL the
table comes back empty (the limits count afresh from that moment) and it is not copied to a
standby. SQLite has no such tables; nothing changes there.
"""

from django.db import migrations


def _unlogged(on: bool):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            table = schema_editor.quote_name(apps.get_model("core", "RateCounter")._meta.db_table)
            schema_editor.execute(f"ALTER TABLE {table} SET {'UNLOGGED' if on else 'LOGGED'}")

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0007_notice_message_id")]

    operations = [migrations.RunPython(_unlogged(True), _unlogged(False))]
