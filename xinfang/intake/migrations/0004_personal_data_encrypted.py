"""Petitioners' ID numbers, phones and addresses encrypted at rest, with keyed hashes for
exact lookup (docs/security.md). Existing rows are encrypted here, in batches, with raw
SQL: the historical model would try to decrypt the plain values it reads."""

from django.db import migrations

import xinfang.lib.fields

BATCH = 1000
PURPOSES = {name: xinfang.lib.fields.purpose("intake.petitioner", name) for name in ("id_number", "phone", "address")}


def _batches(cursor):
    last = 0
    while True:
        cursor.execute("SELECT id, id_number, phone, address FROM intake_petitioner WHERE id > %s ORDER BY id LIMIT %s", [last, BATCH])
        rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def encrypt_rows(apps, schema_editor):
    from xinfang.lib import crypto

    keys = None
    with schema_editor.connection.cursor() as cursor:
        for rows in _batches(cursor):
            keys = keys or crypto.ring()  # a database without petitioners needs no key yet
            updates = []
            for pk, *values in rows:
                plain = {}
                for name, value in zip(("id_number", "phone", "address"), values, strict=True):
                    value = value or ""
                    plain[name] = crypto.decrypt(value, purpose=PURPOSES[name], keys=keys) if crypto.is_token(value) else value
                updates.append([
                    crypto.encrypt(plain["id_number"], purpose=PURPOSES["id_number"], keys=keys),
                    crypto.encrypt(plain["phone"], purpose=PURPOSES["phone"], keys=keys),
                    crypto.encrypt(plain["address"], purpose=PURPOSES["address"], keys=keys),
                    crypto.lookup_hash("id", plain["id_number"], keys=keys),
                    crypto.lookup_hash("phone", plain["phone"], keys=keys),
                    pk,
                ])
            cursor.executemany(
                "UPDATE intake_petitioner SET id_number = %s, phone = %s, address = %s, id_number_hash = %s, phone_hash = %s WHERE id = %s",
                updates)


def decrypt_rows(apps, schema_editor):
    from xinfang.lib import crypto

    with schema_editor.connection.cursor() as cursor:
        for rows in _batches(cursor):
            updates = []
            for pk, *values in rows:
                plain = [crypto.decrypt(v, purpose=PURPOSES[n], keys=crypto.ring()) if crypto.is_token(v) else (v or "")
                         for n, v in zip(("id_number", "phone", "address"), values, strict=True)]
                updates.append([*plain, pk])
            cursor.executemany("UPDATE intake_petitioner SET id_number = %s, phone = %s, address = %s WHERE id = %s", updates)


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0003_default_categories"),
    ]

    operations = [
        migrations.AddField(
            model_name="petitioner",
            name="id_number_hash",
            field=xinfang.lib.fields.LookupHashField(blank=True, db_index=True, default="", editable=False, kind="id", max_length=32,
                                                     source="id_number", verbose_name="身份证号摘要"),
        ),
        migrations.AddField(
            model_name="petitioner",
            name="phone_hash",
            field=xinfang.lib.fields.LookupHashField(blank=True, db_index=True, default="", editable=False, kind="phone", max_length=32,
                                                     source="phone", verbose_name="联系电话摘要"),
        ),
        migrations.AlterField(
            model_name="petitioner",
            name="address",
            field=xinfang.lib.fields.EncryptedTextField(blank=True, max_length=200, verbose_name="住址"),
        ),
        migrations.AlterField(
            model_name="petitioner",
            name="id_number",
            field=xinfang.lib.fields.EncryptedTextField(blank=True, max_length=18, verbose_name="身份证号"),
        ),
        migrations.AlterField(
            model_name="petitioner",
            name="phone",
            field=xinfang.lib.fields.EncryptedTextField(blank=True, max_length=20, verbose_name="联系电话"),
        ),
        # Last, so that going back decrypts before the columns shrink to their old sizes.
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
