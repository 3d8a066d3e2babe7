"""Rotate the keys of the personal data at rest: add new keys, re-encrypt every row and
recompute its lookup hashes in locked batches, retire the keys no row needs any more
(xinfang/lib/rotation.py, docs/security.md). Safe to run again; exit 1 when some rows
could not be read (their key is missing or their value was altered)."""

from django.core.management.base import BaseCommand, CommandError

from xinfang.audit.services import record as audit
from xinfang.lib import crypto
from xinfang.lib.rotation import rotate


class Command(BaseCommand):
    help = "轮换个人信息加密密钥并重新加密 / Rotate the personal-data keys and re-encrypt every row."

    def add_arguments(self, parser):
        parser.add_argument("--no-new-key", action="store_true",
                            help="不生成新密钥，只把所有行改用当前密钥（密钥来自环境变量时使用）/ Only move rows to the current keys.")
        parser.add_argument("--keep-old-keys", action="store_true", help="完成后保留旧密钥 / Do not retire the old keys.")
        parser.add_argument("--batch-size", type=int, default=500, help="每个事务的行数 / Rows per transaction (500).")
        parser.add_argument("--wait", type=float, default=None,
                            help="加入新密钥后等待其他进程读取的秒数 / Seconds to let running processes load the new keys (2).")

    def handle(self, *args, no_new_key=False, keep_old_keys=False, batch_size=500, wait=None, **options):
        if batch_size < 1:
            raise CommandError("--batch-size 应为正整数 / --batch-size must be positive.")
        try:
            report = rotate(new_key=not no_new_key, batch=batch_size, retire=not keep_old_keys, wait=wait,
                            log=self.stdout.write)
        except crypto.KeyConfigError as error:
            raise CommandError(str(error)) from None
        keys = crypto.ring()
        self.stdout.write(f"checked {report.checked} rows in {report.passes} passes, re-encrypted {report.rewritten}, "
                          f"unreadable {len(report.unreadable)}")
        for label, count in sorted(report.per_model.items()):
            self.stdout.write(f"  {label}: {count} rows rewritten")
        self.stdout.write(f"current keys: data {keys.current_data_id}, lookup {keys.current_lookup_id}")
        if report.retired:
            self.stdout.write(f"retired keys: {', '.join(report.retired)}")
        if report.unused:
            where = "XINFANG_DATA_KEYS / XINFANG_LOOKUP_KEYS" if crypto.key_file() is None else "the key file"
            self.stdout.write(f"no row uses these keys any more; remove them from {where}: {', '.join(report.unused)}")
        if report.kept:
            self.stdout.write(f"kept (still needed by unreadable rows): {', '.join(report.kept)}")
        for label, pk, reason in report.unreadable[:20]:
            self.stdout.write(f"  unreadable: {label} #{pk}: {reason}")
        audit(actor=None, action="keys.rotate", object_type="crypto.keyring", object_id=keys.current_data_id,
              detail={"added": report.added, "retired": report.retired, "checked": report.checked,
                      "rewritten": report.rewritten, "unreadable": len(report.unreadable)})
        if report.unreadable:
            raise SystemExit(1)
