from django.core.management.base import BaseCommand, CommandError

from xinfang.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = ("备份数据库和附件到一个带清单的 tar.gz / Back up the database and the attached files into one "
            "timestamped tar.gz with a manifest (SHA-256 of every part, row counts).")

    def add_arguments(self, parser):
        parser.add_argument("--dest", help="目标目录 / Directory for the archive (default settings.BACKUP_DIR).")
        parser.add_argument("--keep", type=int, help="保留最近几份（0=全部保留）/ Keep the newest N archives there (default settings.BACKUP_KEEP; 0 keeps all).")

    def handle(self, *args, dest=None, keep=None, **options):
        try:
            path, manifest = backup(dest=dest, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        archive = manifest["archive"]
        self.stdout.write(f"{path}")
        self.stdout.write(f"  {archive['size']:,} bytes in {archive['seconds']} s; database {manifest['engine']} "
                          f"{manifest['database']['size']:,} bytes; {len(manifest['media'])} files")
        for label, count in manifest["counts"].items():
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(f"  personal data encrypted under data keys: {', '.join(manifest['data_keys']) or '-'} "
                          f"(the keys are not in the archive: keep the key file's own copy apart)")
