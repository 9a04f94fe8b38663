"""The database refuses UPDATE and DELETE on the ledger (SQLite and PostgreSQL), and the default
requirements from the national regulations.

The same guard as the audit log (core/migrations/0002): the PostgreSQL function
``ganxun_refuse_change()`` honours the session setting ``ganxun.audit_purge``; the SQLite triggers
ask the connection function ``ganxun_audit_locked()``. Only the test settings lift it, so test
databases can be flushed; production connections never do.
"""

from django.db import migrations

from ganxun.credits.defaults import DEFAULT_REQUIREMENTS

SQLITE = [
    """CREATE TRIGGER credits_creditentry_no_update BEFORE UPDATE ON credits_creditentry
       WHEN ganxun_audit_locked() BEGIN SELECT RAISE(ABORT, 'credit ledger is append-only'); END;""",
    """CREATE TRIGGER credits_creditentry_no_delete BEFORE DELETE ON credits_creditentry
       WHEN ganxun_audit_locked() BEGIN SELECT RAISE(ABORT, 'credit ledger is append-only'); END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS credits_creditentry_no_update;",
    "DROP TRIGGER IF EXISTS credits_creditentry_no_delete;",
]
POSTGRES = [
    """CREATE TRIGGER credits_creditentry_append_only BEFORE UPDATE OR DELETE
       ON credits_creditentry FOR EACH ROW EXECUTE FUNCTION ganxun_refuse_change();""",
    """CREATE TRIGGER credits_creditentry_no_truncate BEFORE TRUNCATE ON credits_creditentry
       FOR EACH STATEMENT EXECUTE FUNCTION ganxun_refuse_change();""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS credits_creditentry_append_only ON credits_creditentry;",
    "DROP TRIGGER IF EXISTS credits_creditentry_no_truncate ON credits_creditentry;",
]

def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, None)

    return apply


def seed(apps, schema_editor):
    Requirement = apps.get_model("credits", "Requirement")
    CreditSettings = apps.get_model("credits", "CreditSettings")
    CreditSettings.objects.get_or_create(pk=1)
    if not Requirement.objects.exists():
        for row in DEFAULT_REQUIREMENTS:
            Requirement.objects.create(**row)


class Migration(migrations.Migration):
    dependencies = [("credits", "0001_initial"), ("core", "0002_audit_append_only")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
