"""身份证号 and 手机 encrypted at rest; the uniqueness of a person moves to the keyed hash id_hash.

Existing rows are rewritten in batches of 2,000 (bounded memory on a province's roster) with
plain SQL, so the migration does not depend on the model code of later versions. Reversible:
going back decrypts every row with the configured key.
"""

from django.db import migrations

import ganxun.core.encrypted
from ganxun.core import crypto

BATCH = 2000
ID_CONTEXT, PHONE_CONTEXT = "orgs.cadre.id_number", "orgs.cadre.phone"


def _rewrite(schema_editor, convert):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table = quote("orgs_cadre")
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT id, id_number, phone FROM {table} WHERE id > %s ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            updates = [convert(id_number, phone) + (pk,) for pk, id_number, phone in rows]
            cursor.executemany(
                f"UPDATE {table} SET id_number = %s, phone = %s, id_hash = %s WHERE id = %s",
                updates,
            )


def _encrypted(value, context):
    if not value or crypto.is_encrypted(value):
        return value
    return crypto.encrypt(value, context=context)


def _plain(value, context):
    return crypto.decrypt(value, context=context) if crypto.is_encrypted(value) else value


def encrypt_rows(apps, schema_editor):
    def convert(id_number, phone):
        plain = _plain(id_number, ID_CONTEXT)
        return (
            _encrypted(plain, ID_CONTEXT),
            _encrypted(phone or "", PHONE_CONTEXT),
            crypto.blind_index(plain, context=ID_CONTEXT),
        )

    _rewrite(schema_editor, convert)


def decrypt_rows(apps, schema_editor):
    def convert(id_number, phone):
        return (_plain(id_number, ID_CONTEXT), _plain(phone or "", PHONE_CONTEXT), None)

    _rewrite(schema_editor, convert)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="cadre",
            name="id_hash",
            field=ganxun.core.encrypted.BlindIndexField(null=True, source="id_number"),
        ),
        migrations.AlterField(
            model_name="cadre",
            name="id_number",
            field=ganxun.core.encrypted.EncryptedTextField(
                blind_index="id_hash", verbose_name="身份证号"
            ),
        ),
        migrations.AlterField(
            model_name="cadre",
            name="phone",
            field=ganxun.core.encrypted.EncryptedTextField(blank=True, verbose_name="手机"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
        migrations.AlterField(
            model_name="cadre",
            name="id_hash",
            field=ganxun.core.encrypted.BlindIndexField(source="id_number", unique=True),
        ),
    ]
