"""Reading several tables as they were at one moment, while others keep writing."""

import contextlib

from django.db import connections, transaction


@contextlib.contextmanager
def read_snapshot(using="default"):
    """Every query inside sees the database as of one moment: rows committed by other
    connections meanwhile are invisible, and writers are not blocked.

    PostgreSQL: one REPEATABLE READ, READ ONLY transaction. SQLite (WAL): one deferred
    transaction, whose snapshot starts at its first read; the settings' IMMEDIATE mode
    would take the write lock and stall every writer for as long as the reader runs.
    Inside a transaction already begun (a test case, a caller's atomic block) the
    isolation cannot change any more: the block runs in that transaction as it is."""
    connection = connections[using]
    if connection.in_atomic_block:
        with transaction.atomic(using=using):
            yield
        return
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        mode, connection.transaction_mode = connection.transaction_mode, "DEFERRED"
        try:
            with transaction.atomic(using=using):
                yield
        finally:
            connection.transaction_mode = mode
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield
