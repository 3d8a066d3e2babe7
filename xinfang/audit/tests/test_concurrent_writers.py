"""Writers in several threads at once, each with its own database connection, chain
their entries one after another: the chain never forks (SELECT … FOR UPDATE on the
chain head on PostgreSQL, the single writer lock on SQLite)."""

import threading

import pytest
from django.db import connection, transaction

from xinfang.audit.models import AuditEntry
from xinfang.audit.services import record, verify_chain

pytestmark = pytest.mark.django_db(transaction=True)


def test_four_writers_at_once_make_one_unbroken_chain(people):
    barrier = threading.Barrier(4)
    errors = []

    def writer(n):
        try:
            barrier.wait()
            for i in range(10):
                with transaction.atomic():
                    record(actor=people["dengji"], action="case.read_personal", obj=people["dengji"], detail={"writer": n, "i": i})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    assert sorted(AuditEntry.objects.values_list("seq", flat=True)) == list(range(1, 41))
    assert verify_chain().ok
