"""Every entry is chained to the one before it; audit_verify walks the chain and finds
the first entry that was changed, removed or slipped in behind the application's back."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from xinfang.audit.chain import GENESIS, entry_hash, row_values
from xinfang.audit.models import AuditChainHead, AuditEntry
from xinfang.audit.services import record, verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(people):
    user = people["dengji"]
    return [record(actor=user, action="case.accept", obj=user, detail={"n": i, "说明": "受理"}, ip="10.0.0.7") for i in range(5)]


def verify():
    out = io.StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


def raw_sql(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_each_entry_carries_the_previous_entrys_hash_and_a_gapless_number(entries):
    chain = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
    assert chain[0].prev_hash == GENESIS
    for before, after in zip(chain, chain[1:]):
        assert after.prev_hash == before.hash
    for e in chain:
        assert e.hash == entry_hash(**row_values(e))
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (chain[-1].seq, chain[-1].hash)


def test_an_intact_record_verifies_ok(entries):
    code, out = verify()
    assert code == 0
    assert out.startswith("OK: ") and f"{AuditEntry.objects.count()} entries" in out


def test_an_empty_record_verifies_ok(db):
    assert verify() == (0, "OK: 0 entries, chain intact; last #0 " + GENESIS + "\n")


def test_a_changed_entry_is_named_by_its_id(entries):
    target = entries[2]
    raw_sql("UPDATE audit_auditentry SET object_id = %s WHERE id = %s", ["999", target.pk])

    code, out = verify()

    assert code == 1
    assert out.startswith(f"BROKEN at id={target.pk} ")
    assert "changed" in out


def test_a_changed_detail_is_found_too(entries):
    target = entries[1]
    raw_sql("UPDATE audit_auditentry SET detail = %s WHERE id = %s", ['{"n": 1, "说明": "不予受理"}', target.pk])

    verdict = verify_chain()

    assert not verdict.ok and verdict.broken_id == target.pk


def test_a_rehashed_entry_still_breaks_the_link_to_the_next(entries):
    # The tamperer recomputes the changed row's own hash; the next row still points at the old one.
    target = entries[1]
    values = row_values(target) | {"object_id": "999"}
    raw_sql("UPDATE audit_auditentry SET object_id = %s, hash = %s WHERE id = %s", ["999", entry_hash(**values), target.pk])

    verdict = verify_chain()

    assert not verdict.ok and verdict.broken_id == entries[2].pk and "prev_hash" in verdict.reason


def test_a_removed_entry_in_the_middle_is_found(entries):
    raw_sql("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])

    code, out = verify()

    assert code == 1 and f"id={entries[3].pk}" in out and "missing" in out


def test_removed_entries_at_the_end_show_against_the_chain_head(entries):
    raw_sql("DELETE FROM audit_auditentry WHERE id = %s", [entries[-1].pk])

    code, out = verify()

    assert code == 1 and "removed" in out


def test_writing_continues_the_chain_when_the_head_row_was_lost(entries):
    raw_sql("DELETE FROM audit_auditchainhead", [])

    record(actor=None, action="auth.login_failed", object_type="org.user", object_id="x")

    assert verify_chain().ok
    assert AuditEntry.objects.order_by("-seq").first().seq == len(entries) + 1


def test_an_entry_that_rolls_back_leaves_no_gap(entries, people):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=people["dengji"], action="case.accept", obj=people["dengji"])
        raise RuntimeError("the change it recorded failed")
    record(actor=people["dengji"], action="case.accept", obj=people["dengji"])

    assert verify_chain().ok
