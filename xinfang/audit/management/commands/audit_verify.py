"""Walk the audit chain and recompute every hash: prints OK, or the first broken entry
and exits with status 1."""

from django.core.management.base import BaseCommand

from xinfang.audit.services import verify_chain


class Command(BaseCommand):
    help = "校验审计记录哈希链 / Verify the audit record's hash chain (exit 1 when broken)."

    def handle(self, *args, **options):
        verdict = verify_chain()
        if verdict.ok:
            self.stdout.write(f"OK: {verdict.count} entries, chain intact; last #{verdict.last_seq} {verdict.last_hash}")
            return
        where = f"id={verdict.broken_id} (seq {verdict.broken_seq})" if verdict.broken_id else f"after seq {verdict.last_seq}"
        self.stdout.write(f"BROKEN at {where}: {verdict.reason}")
        self.stdout.write(f"The first {verdict.count} entries verify; last good #{verdict.last_seq} {verdict.last_hash}")
        raise SystemExit(1)
