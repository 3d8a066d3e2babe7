"""Idempotency keys: a client that did not hear the answer sends the same request again
with the same `Idempotency-Key`, and gets the same answer instead of a second petition.
One mechanism for the public site (`portal.services.submit`) and the staff API
(`intake.services.register_once`): the key is stored, unique, on the row the request
created, in the same transaction, with a digest of what was asked; the same key with the
same content replays, with other content it is a conflict."""

import hashlib
import json
import re

from .errors import Conflict, Invalid

KEY = re.compile(r"^[A-Za-z0-9_\-]{16,64}$")
HEADER = "Idempotency-Key"


def check_key(key):
    """The key as given ("" when none), or Invalid when it is not 16-64 [A-Za-z0-9_-]."""
    key = str(key or "")
    if key and not KEY.match(key):
        raise Invalid("提交标识格式不正确 / The idempotency key must be 16-64 letters, digits, - or _.",
                      fields={"idempotency_key": "16-64 [A-Za-z0-9_-]"})
    return key


def fingerprint(payload, raw_files=()):
    """A digest of what the request asked for: its fields (JSON, keys sorted) and files."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode()
    digest = hashlib.sha256(body)
    for item in raw_files:
        digest.update(hashlib.sha256(item).digest())
    return digest.hexdigest()


def same_request(stored, digest):
    """Raise Conflict when the key was used for a request with other content."""
    if stored != digest:
        raise Conflict("该提交标识已用于另一份内容，请刷新页面后重新提交 / This idempotency key was used for different content.",
                       code="idempotency_conflict")
