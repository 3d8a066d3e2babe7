"""audit_verify run while staff work tells the truth: it reads the entries and the
chain head in one consistent snapshot, so entries committed while it walks the record
are neither reported as "removed from the end" nor half seen. Writers in other threads
(each with its own connection) append the whole time; verify runs several times."""

import threading

import pytest
from django.db import connection, transaction

from xinfang.audit.models import AuditChainHead, AuditEntry
from xinfang.audit.services import record, verify_chain

pytestmark = pytest.mark.django_db(transaction=True)


def append(user, n, **detail):
    for i in range(n):
        with transaction.atomic():
            record(actor=user, action="case.read_personal", obj=user, detail={"i": i, **detail})


def test_verify_with_writers_appending_reports_an_intact_chain_every_time(people):
    user = people["dengji"]
    append(user, 300)  # a record long enough that the walk takes a while
    stop, errors, written = threading.Event(), [], [0, 0]

    def writer(n):
        try:
            while not stop.is_set():
                append(user, 1, writer=n)
                written[n] += 1
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    try:
        verdicts = [verify_chain(chunk_size=50) for _ in range(6)]
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)

    assert errors == []
    assert sum(written) > 0, "the writers never got to write while verify ran"
    assert [(v.ok, v.reason) for v in verdicts] == [(True, "")] * 6
    # Each verdict is a real state of the record: a prefix of what is there now.
    final = dict(AuditEntry.objects.values_list("seq", "hash"))
    for v in verdicts:
        assert v.count >= 300 and final[v.last_seq] == v.last_hash
    assert verify_chain().count == AuditChainHead.objects.get().last_seq == len(final)


def test_entries_cut_from_the_end_are_still_found(people):
    # The snapshot must not hide a real removal: the head names more than the record holds.
    user = people["dengji"]
    append(user, 5)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 5")

    verdict = verify_chain()

    assert not verdict.ok and "removed" in verdict.reason and verdict.count == 4
