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
        self.stdout.write("OK")
