"""Backup and restore of one Xinfang installation: the database and the attached files
(MEDIA_ROOT) in one timestamped tar.gz with a manifest.

The database part is a consistent snapshot taken while the application runs: SQLite's
online backup API (`sqlite3.Connection.backup`), or `pg_dump -Fc` on PostgreSQL (one
transaction, so one point in time). Files are archived after the snapshot, so every
attachment the snapshot names is in the archive (attachments are written before the
row that names them commits); a file newer than the snapshot may come along unused.

The manifest lists the SHA-256 and size of every part and every file, the row counts of
the key tables and the end of the audit chain, so a restore can prove it restored the
same thing.
"""

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess  # runs pg_dump/pg_restore with argument lists, never a shell
import tarfile
import tempfile
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from xinfang.audit.models import AuditChainHead
from xinfang.lib import crypto
from xinfang.lib.rotation import data_key_ids_in_use

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_PART = "database.sqlite3"
PG_PART = "database.pgdump"
MEDIA_DIR = "media"
NAME_RE = re.compile(r"^xinfang-backup-\d{8}-\d{6}\.tar\.gz$")
# The tables whose counts a restore is compared on, and whose rows make a database "not empty".
KEY_MODELS = ["org.Unit", "org.User", "intake.Petition", "intake.Petitioner", "intake.Attachment",
              "cases.Case", "cases.CaseEvent", "documents.Document", "documents.DocumentVersion", "documents.Delivery",
              "audit.AuditEntry"]


class BackupError(Exception):
    pass


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def engine(alias="default"):
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持的数据库 / Unsupported database: {vendor}")
    return vendor


def key_counts():
    counts = {}
    existing = set(connection.introspection.table_names())
    for label in KEY_MODELS:
        model = apps.get_model(label)
        counts[label] = model._base_manager.count() if model._meta.db_table in existing else 0
    return counts


def is_empty():
    """True when none of the key tables holds a row (or the database was never migrated)."""
    return not any(key_counts().values())


def audit_head():
    if AuditChainHead._meta.db_table not in connection.introspection.table_names():
        return None
    head = AuditChainHead.objects.filter(pk=1).first()
    return {"last_seq": head.last_seq, "last_hash": head.last_hash} if head else None


# --- the database part -----------------------------------------------------------------


def _sqlite_path():
    return connection.settings_dict["NAME"]


def _sqlite_copy(source_path, dest_path):
    """SQLite's online backup API: a consistent copy while others read and write."""
    source = sqlite3.connect(source_path)
    dest = sqlite3.connect(dest_path, timeout=30)
    try:
        with dest:
            source.backup(dest)
    finally:
        dest.close()
        source.close()


def dump_sqlite(target):
    _sqlite_copy(_sqlite_path(), target)


def restore_sqlite(source_file):
    connection.close()
    _sqlite_copy(source_file, _sqlite_path())


def _pg_args_env():
    s = connection.settings_dict
    args = ["--dbname", s["NAME"]]
    if s.get("HOST"):
        args += ["--host", s["HOST"]]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    sslmode = (s.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return args, env


def _pg_tool(name):
    path = shutil.which(name) or f"/usr/bin/{name}"
    if not os.path.exists(path):
        raise BackupError(f"找不到 {name}，请安装 postgresql-client / {name} is not installed (apt-get install postgresql-client).")
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"\)\s*(\d+)", out) or re.search(r"(\d+)", out)
    tool_major = int(found.group(1))
    connection.ensure_connection()
    server_major = connection.pg_version // 10000
    if tool_major < server_major:
        raise BackupError(f"{name} {tool_major} 低于数据库服务器版本 {server_major} / {name} {tool_major} is older than the server ({server_major}): "
                          f"install postgresql-client-{server_major}.")
    return path


def dump_postgres(target):
    pg_dump = _pg_tool("pg_dump")
    args, env = _pg_args_env()
    result = subprocess.run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args],
                            env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_dump 失败 / pg_dump failed: {result.stderr.strip()}")


def restore_postgres(source_file):
    pg_restore = _pg_tool("pg_restore")
    args, env = _pg_args_env()
    connection.close()
    # --clean drops what a migrate may have created; one transaction, so a failure leaves
    # the database as it was.
    result = subprocess.run([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                             "--exit-on-error", *args, str(source_file)], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore 失败 / pg_restore failed: {result.stderr.strip()}")


# --- backup ------------------------------------------------------------------------------


def media_files(root):
    root = Path(root)
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def backup(*, dest=None, keep=None, now=None):
    """Write one archive into `dest` (settings.BACKUP_DIR); keep the newest `keep`
    archives there (settings.BACKUP_KEEP, 0 = keep all). Returns (path, manifest)."""
    started = time.monotonic()
    dest = Path(dest or settings.BACKUP_DIR)
    dest.mkdir(parents=True, exist_ok=True)
    vendor = engine()
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    name = f"xinfang-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="xinfang-backup-") as work:
        part = Path(work) / (SQLITE_PART if vendor == "sqlite" else PG_PART)
        # Counts first, then the snapshot: on a busy system the snapshot may hold a few
        # more rows than counted, never fewer.
        counts = key_counts()
        head = audit_head()
        data_keys = data_key_ids_in_use()
        (dump_sqlite if vendor == "sqlite" else dump_postgres)(part)
        media_root = Path(settings.MEDIA_ROOT)
        files = {str(p.relative_to(media_root)): {"sha256": sha256_file(p), "size": p.stat().st_size} for p in media_files(media_root)}
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": vendor,
            "database": {"name": part.name, "sha256": sha256_file(part), "size": part.stat().st_size},
            "media": files,
            "counts": counts,
            "audit_head": head,
            "migrations": _latest_migrations(),
            # The archive holds personal data encrypted under these keys and NOT the keys
            # themselves (docs/operations.md): restoring needs the key file as well.
            "data_keys": data_keys,
        }
        partial = dest / (name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(time.time())
            tar.addfile(info, io.BytesIO(data))
            tar.add(part, arcname=part.name)
            for rel in files:
                tar.add(media_root / rel, arcname=f"{MEDIA_DIR}/{rel}")
        os.chmod(partial, 0o600)  # it holds petitioners' personal data
        path = dest / name
        os.replace(partial, path)
    manifest["archive"] = {"path": str(path), "size": path.stat().st_size, "seconds": round(time.monotonic() - started, 2)}
    prune(dest, settings.BACKUP_KEEP if keep is None else keep)
    return path, manifest


def prune(dest, keep):
    """Delete all but the newest `keep` archives in `dest` (names sort by time)."""
    if not keep:
        return []
    archives = sorted(p for p in Path(dest).iterdir() if NAME_RE.match(p.name))
    old = archives[:-keep]
    for p in old:
        p.unlink()
    return old


def _latest_migrations():
    from django.db.migrations.recorder import MigrationRecorder

    latest = {}
    for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return latest


# --- restore -----------------------------------------------------------------------------


def read_manifest(archive):
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.getmember(MANIFEST)
        return json.loads(tar.extractfile(member).read().decode("utf-8"))


def restore(*, archive, force=False):
    """Restore an archive into this installation's database and MEDIA_ROOT. Refuses a
    database that already holds data unless `force`. Every part is checked against the
    manifest before anything is written. Returns the manifest, with what was found after
    the restore under "restored"."""
    started = time.monotonic()
    archive = Path(archive)
    if not archive.exists():
        raise BackupError(f"找不到备份文件 / No such archive: {archive}")
    manifest = read_manifest(archive)
    if manifest.get("format") != FORMAT:
        raise BackupError("备份格式不受支持 / Unsupported archive format.")
    vendor = engine()
    if manifest["engine"] != vendor:
        raise BackupError(f"备份来自 {manifest['engine']}，当前数据库是 {vendor} / The archive is of {manifest['engine']}, "
                          f"this database is {vendor}: restore into the same kind of database.")
    if not force and not is_empty():
        raise BackupError("目标数据库已有数据，拒绝覆盖；确需覆盖请加 --force / The database is not empty: refusing to "
                          "overwrite it (use --force to replace everything in it).")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="xinfang-restore-") as work:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")  # refuses absolute paths, "..", links out of the tree
        work = Path(work)
        part = work / manifest["database"]["name"]
        if sha256_file(part) != manifest["database"]["sha256"]:
            raise BackupError("数据库部分校验失败，备份已损坏 / The database part does not match its checksum.")
        for rel, meta in manifest["media"].items():
            if sha256_file(work / MEDIA_DIR / rel) != meta["sha256"]:
                raise BackupError(f"附件校验失败 / The file {rel} does not match its checksum.")
        for rel in manifest["media"]:
            target = media_root / rel
            if target.exists() and not force and sha256_file(target) != manifest["media"][rel]["sha256"]:
                raise BackupError(f"附件目录中已有不同的同名文件 / A different file already exists at {target} (use --force).")
        (restore_sqlite if vendor == "sqlite" else restore_postgres)(part)
        for rel in manifest["media"]:
            target = media_root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(work / MEDIA_DIR / rel, target)
    connection.close()
    found = {rel: sha256_file(media_root / rel) for rel in manifest["media"]}
    needed = data_key_ids_in_use()
    missing = sorted(set(needed) - set(crypto.ring().data))
    manifest["restored"] = {
        "data_keys": needed,
        "missing_keys": missing,
        "counts": key_counts(),
        "media_ok": all(found[rel] == meta["sha256"] for rel, meta in manifest["media"].items()),
        "audit_head": audit_head(),
        "seconds": round(time.monotonic() - started, 2),
    }
    return manifest

