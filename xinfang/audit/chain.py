"""The hash chain of the audit record: pure functions, no database.

Each entry's hash is SHA-256 over a canonical serialization of the entry and the
previous entry's hash. Changing, removing or inserting a row breaks the chain from that
row on, which `audit_verify` finds. The serialization must give the same bytes for a
row as written and for the same row read back from SQLite or PostgreSQL, so every value
is reduced to a JSON-stable form first (see `canonical_values`).
"""

import datetime
import hashlib
import json

from django.utils.ipv6 import clean_ipv6_address

GENESIS = "0" * 64
# Bump only with a migration that re-chains: old rows were hashed with the old version.
VERSION = 1


def normal_detail(detail):
    """The detail as JSON gives it back: tuples become lists, keys strings."""
    return json.loads(json.dumps(detail or {}, ensure_ascii=False))


def normal_ip(ip):
    if not ip:
        return None
    ip = str(ip)
    return clean_ipv6_address(ip) if ":" in ip else ip


def normal_at(at):
    """UTC, microseconds: both databases keep microseconds."""
    return at.astimezone(datetime.timezone.utc).isoformat(timespec="microseconds")


def canonical(*, seq, at, actor_id, action, object_type, object_id, detail, ip, prev_hash):
    """The bytes that are hashed for one entry."""
    body = {
        "v": VERSION,
        "seq": int(seq),
        "at": normal_at(at),
        "actor": int(actor_id) if actor_id is not None else None,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "detail": normal_detail(detail),
        "ip": normal_ip(ip),
        "prev": prev_hash,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def entry_hash(**values):
    return hashlib.sha256(canonical(**values)).hexdigest()


def row_values(entry):
    """The hashed values of an AuditEntry (or a historical model row in a migration)."""
    return dict(seq=entry.seq, at=entry.at, actor_id=entry.actor_id, action=entry.action, object_type=entry.object_type,
                object_id=entry.object_id, detail=entry.detail, ip=entry.ip, prev_hash=entry.prev_hash)
