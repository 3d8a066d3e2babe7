import sys

from django.core.management.base import BaseCommand, CommandError

from xinfang.ops.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = ("从备份恢复到空数据库 / Restore an archive made by `backup` into an EMPTY database and MEDIA_ROOT "
            "(refuses a database that holds data unless --force).")

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="不再询问 / Do not ask for confirmation.")
        parser.add_argument("--force", action="store_true",
                            help="即使数据库已有数据也覆盖 / Replace everything even if the database holds data.")

    def handle(self, *args, archive, yes=False, force=False, **options):
        try:
            manifest = read_manifest(archive)
        except (OSError, KeyError, ValueError) as exc:
            raise CommandError(f"无法读取备份 / Cannot read the archive: {exc}") from exc
        self.stdout.write(f"Archive of {manifest['created_at']} ({manifest['engine']}): "
                          + ", ".join(f"{k}={v}" for k, v in manifest["counts"].items()))
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("非交互运行时请加 --yes 确认 / Not interactive: confirm with --yes.")
            if input("恢复将写入当前数据库和附件目录。输入 yes 继续 / Type yes to restore: ").strip() != "yes":
                raise CommandError("已取消 / Cancelled.")
        try:
            result = restore(archive=archive, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        restored = result["restored"]
        mismatched = {k: (v, restored["counts"].get(k)) for k, v in result["counts"].items() if restored["counts"].get(k) != v}
        self.stdout.write(f"Restored in {restored['seconds']} s: " + ", ".join(f"{k}={v}" for k, v in restored["counts"].items()))
        self.stdout.write(f"Files: {len(result['media'])}, checksums {'OK' if restored['media_ok'] else 'MISMATCH'}")
        if mismatched or not restored["media_ok"]:
            raise CommandError(f"恢复结果与备份清单不一致 / The restored data differ from the manifest: {mismatched}")
        if restored["missing_keys"]:
            # The rows are back; their personal data stay unreadable until the key file
            # (kept apart from the backups) is put back: say so, and fail the command.
            raise CommandError(
                f"数据已恢复，但以下数据密钥不在当前密钥环中，信访人证件号、电话、住址将无法显示：{', '.join(restored['missing_keys'])}。"
                f"请恢复对应的密钥文件（XINFANG_KEY_FILE 或 XINFANG_DATA_KEYS）后重启 / Restored, but these data keys are not "
                f"in the key ring, so personal data cannot be read until the key file is restored: {', '.join(restored['missing_keys'])}.")
        self.stdout.write(f"Data keys needed: {', '.join(restored['data_keys']) or '-'} (all in the key ring)")
        self.stdout.write("OK")
