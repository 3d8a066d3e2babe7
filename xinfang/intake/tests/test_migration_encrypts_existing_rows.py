"""Migration 0004 encrypts the rows that were stored in plain text, and going back
decrypts them again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from xinfang.intake.models import Petitioner
from xinfang.lib import crypto

BEFORE, AFTER = [("intake", "0003_default_categories")], [("intake", "0004_personal_data_encrypted")]


def migrate(target=None):
    """To `target`, or forward to the latest migration of every app (the later ones
    add columns the other tests need)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target or executor.loader.graph.leaf_nodes())


def raw():
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, address FROM intake_petitioner")
        return cursor.fetchone()


@pytest.mark.django_db(transaction=True)
def test_plain_rows_are_encrypted_and_hashed_and_going_back_restores_them(register_case, people):
    register_case(petitioners=[{"name": "刘某", "id_number": "11010519491231002X", "phone": "13800000001", "address": "青山乡山下村"}])
    try:
        migrate(BEFORE)
        assert raw() == ("11010519491231002X", "13800000001", "青山乡山下村")
    finally:
        migrate()  # through AFTER to the latest

    assert all(crypto.token_key_id(value) == "test1" for value in raw())
    person = Petitioner.objects.get()
    assert (person.id_number, person.phone, person.address) == ("11010519491231002X", "13800000001", "青山乡山下村")
    assert person.phone_hash == crypto.lookup_hash("phone", "13800000001") and person.id_number_hash
