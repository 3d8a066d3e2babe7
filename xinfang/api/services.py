"""Issuing, checking and revoking API tokens. The token is random, shown once, and only
its SHA-256 is stored: a leaked database or backup opens nothing."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xinfang.audit.services import record as audit
from xinfang.lib.queries import CompiledLookup

from .models import ApiToken

# Prefix so that secret scanners and people can tell a Xinfang token when they see one.
PREFIX = "xf_"
# last_used_at is a hint for administrators, not a log: write it at most this often, so
# that reading the API does not turn every request into a write.
TOUCH_EVERY = datetime.timedelta(minutes=5)


def digest(token):
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def issue_token(*, user, ip=None):
    """A new token for `user`; returns (token, ApiToken). The caller shows the token once."""
    token = PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    row = ApiToken.objects.create(user=user, key_hash=digest(token), created_at=now,
                                  expires_at=now + datetime.timedelta(hours=settings.API_TOKEN_TTL_HOURS))
    audit(actor=user, action="api.token_issue", obj=row, detail={"expires_at": row.expires_at.isoformat()}, ip=ip)
    return token, row


# Every API request asks this: compiled once (lib/queries.py).
_TOKEN = CompiledLookup(lambda key_hash: ApiToken.objects.filter(key_hash=key_hash)
                        .select_related("user", "user__unit", "user__unit__parent"))


def find_token(token):
    """The live token row for a presented token, with its user and unit loaded, or
    None. A token of a deactivated user opens nothing, nor an expired or revoked one."""
    if not token or len(token) > 200:
        return None
    now = timezone.now()
    row = _TOKEN.get(digest(token))
    if row is None or not row.is_live(now) or not row.user.is_active:
        return None
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row


@transaction.atomic
def revoke_token(*, token_row, actor, ip=None):
    """Revoke one token now. Revoking a revoked token changes nothing."""
    updated = ApiToken.objects.filter(pk=token_row.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if updated:
        audit(actor=actor, action="api.token_revoke", obj=token_row, ip=ip)
    return updated == 1
