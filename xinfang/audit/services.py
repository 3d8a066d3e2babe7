"""Writing and checking the audit record.

`record()` is the one way in. It appends inside the caller's transaction, chained to the
previous entry under the lock of the chain head, so the entry commits or rolls back with
the change it records and two writers can never chain onto the same entry.
"""

import dataclasses
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from xinfang.lib.queries import CompiledLookup
from xinfang.lib.snapshot import read_snapshot
from xinfang.lib.text import clean_deep, clean_text

from .chain import GENESIS, entry_hash, normal_detail, normal_ip, row_values
from .models import AuditChainHead, AuditEntry

logger = logging.getLogger(__name__)


def record(*, actor, action, obj=None, detail=None, ip=None, object_type=None, object_id=None):
    """Append one audit entry; call inside the transaction of the change it records.

    `obj` is the model instance acted on or read; without one (a login, an export of
    this record) give `object_type` and `object_id`."""
    if obj is not None:
        object_type, object_id = obj._meta.label_lower, obj.pk
    if not object_type:
        raise ValueError("record() needs obj, or object_type and object_id")
    # No savepoint of its own: the entry lives and dies with the caller's transaction.
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        values = dict(
            seq=head.last_seq + 1,
            at=timezone.now(),
            actor_id=actor.pk if getattr(actor, "pk", None) else None,
            action=action,
            object_type=object_type,
            # The record is append-only: text that no file can hold (a login attempt's
            # name with a control character) would break its exports for ever.
            object_id=clean_text(str(object_id if object_id is not None else ""))[:64],
            detail=normal_detail(clean_deep(detail)),
            ip=normal_ip(ip),
            prev_hash=head.last_hash,
        )
        entry = AuditEntry(**values, hash=entry_hash(**values))
        entry.save(force_insert=True)
        AuditChainHead.objects.filter(pk=head.pk).update(last_seq=entry.seq, last_hash=entry.hash, updated_at=entry.at)
    return entry


# Every audited write reads it: compiled once (lib/queries.py).
_HEAD = CompiledLookup(lambda: AuditChainHead.objects.select_for_update().filter(pk=1))


def _locked_head():
    """The chain head, locked until the caller's transaction ends. SQLite ignores FOR
    UPDATE, but there every write transaction holds the database's one write lock
    from BEGIN (settings: transaction_mode IMMEDIATE), which serialises the writers."""
    head = _HEAD.get()
    if head is not None:
        return head
    # The first entry ever, or the head row was removed: continue from the last entry,
    # so a missing head never forks the chain (audit_verify reports the gap if rows
    # went with it).
    last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
    if last is not None:
        logger.warning("audit chain head missing; rebuilt from entry #%s", last.seq)
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(pk=1, last_seq=last.seq if last else 0, last_hash=last.hash if last else GENESIS)
    except IntegrityError:
        pass  # another writer created it first; take its lock below
    return AuditChainHead.objects.select_for_update().get(pk=1)


@dataclasses.dataclass
class Verdict:
    ok: bool
    count: int
    last_seq: int = 0
    last_hash: str = GENESIS
    broken_id: int | None = None
    broken_seq: int | None = None
    reason: str = ""


def verify_chain(*, chunk_size=2000):
    """Walk the whole record in sequence order and recompute every hash. Returns a
    Verdict: ok, or the first entry where the chain breaks and why.

    The head and the entries are read in one snapshot (`read_snapshot`): run while
    staff work, entries committed during the walk would otherwise show up in the head
    but not among the entries already read, and look like entries cut from the end."""
    with read_snapshot():
        return _verify(chunk_size)


def _verify(chunk_size):
    head = AuditChainHead.objects.filter(pk=1).first()
    prev_hash, expected, count = GENESIS, 1, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        reason = ""
        if entry.seq != expected:
            reason = f"sequence jumps from {expected - 1} to {entry.seq}: entries are missing"
        elif entry.prev_hash != prev_hash:
            reason = "prev_hash does not match the previous entry: an entry before it was removed or replaced"
        elif entry_hash(**row_values(entry)) != entry.hash:
            reason = "hash does not match the entry's content: the entry was changed"
        if reason:
            return Verdict(False, count, expected - 1, prev_hash, entry.pk, entry.seq, reason)
        prev_hash, expected, count = entry.hash, expected + 1, count + 1
    if count and head is None:
        return Verdict(False, count, expected - 1, prev_hash, None, None, "the chain head is missing")
    if head is not None and (head.last_seq, head.last_hash) != (expected - 1, prev_hash):
        return Verdict(False, count, expected - 1, prev_hash, None, head.last_seq,
                       f"the chain head names entry #{head.last_seq} but the record ends at #{expected - 1}: entries at the end were removed")
    return Verdict(True, count, expected - 1, prev_hash)
