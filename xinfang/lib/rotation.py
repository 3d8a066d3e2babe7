"""Key rotation for personal data at rest (`manage.py rotate_data_keys`, docs/security.md).

1. A new data key and a new lookup key are added to the key file as the current ones;
   every running process reads the file again within a second (crypto.ring), so from
   then on new rows are written under the new keys. The command waits that long.
2. Every row of every model with encrypted fields is checked in batches, each batch in
   its own transaction with its rows locked (SELECT … FOR UPDATE on PostgreSQL; SQLite
   holds its write lock from BEGIN IMMEDIATE), so a registration or an edit running at
   the same time waits for the batch or is waited for: nothing is overwritten with a
   stale value. A row under an older key is re-encrypted; a lookup hash under an older
   lookup key is recomputed; a plain value left from before encryption is encrypted.
3. The pass is repeated until one changes nothing (a row written by a process that had
   not yet seen the new key is caught by the next pass), then the older keys that no
   row uses any more are removed from the file. Running it again is safe: a second run
   adds new keys and does the same again; `--no-new-key` only finishes a rotation.

With keys from the environment the command cannot edit them: add the new key at the end
of XINFANG_DATA_KEYS / XINFANG_LOOKUP_KEYS, restart, run with `--no-new-key`, then
remove the keys it reports as unused.
"""

import secrets
import time
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, transaction

from . import crypto
from .fields import EncryptedTextField, LookupHashField


@dataclass
class Report:
    checked: int = 0
    rewritten: int = 0
    unreadable: list = field(default_factory=list)  # (model label, pk, reason)
    passes: int = 0
    added: list = field(default_factory=list)
    retired: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # older keys still needed by some row
    unused: list = field(default_factory=list)  # older keys no row needs, not removed (environment, --keep-old-keys)
    per_model: dict = field(default_factory=dict)


def encrypted_models():
    """(model, encrypted fields, hash fields) for every model that has encrypted fields."""
    for model in apps.get_models():
        fields = model._meta.concrete_fields
        encrypted = [f for f in fields if isinstance(f, EncryptedTextField)]
        if encrypted:
            yield model, encrypted, [f for f in fields if isinstance(f, LookupHashField)]


def data_key_ids_in_use():
    """The data key ids the stored tokens name (read raw, nothing is decrypted)."""
    qn = connection.ops.quote_name
    found = set()
    for model, encrypted, _ in encrypted_models():
        columns = ", ".join(qn(f.column) for f in encrypted)
        with connection.cursor() as cursor:
            # bandit: table and column names come from model metadata, quoted; no values.
            cursor.execute(f"SELECT {columns} FROM {qn(model._meta.db_table)}")  # nosec B608
            while rows := cursor.fetchmany(2000):
                for row in rows:
                    found.update(kid for kid in map(crypto.token_key_id, row) if kid)
    return sorted(found)


def add_keys():
    """Append a fresh data key and lookup key to the key file (they become current)."""
    path = crypto.key_file()
    if path is None:
        raise crypto.KeyConfigError(
            "密钥来自环境变量，本命令不能修改：请在 XINFANG_DATA_KEYS 和 XINFANG_LOOKUP_KEYS 末尾加入新密钥，重启后用 --no-new-key 运行 / "
            "The keys come from the environment: append new keys to XINFANG_DATA_KEYS and XINFANG_LOOKUP_KEYS, restart, "
            "then run with --no-new-key.")
    current = crypto.load()
    data_id, lookup_id = crypto.new_key_id("data"), crypto.new_key_id("lookup")
    data = {**current.data, data_id: secrets.token_bytes(crypto.KEY_BYTES)}
    lookup = {**current.lookup, lookup_id: secrets.token_bytes(crypto.KEY_BYTES)}
    crypto.write_file(path, data, lookup)
    crypto.reset()
    return [data_id, lookup_id]


def _batch(model, encrypted, hashes, ids, keys, report, still_used):
    qn = connection.ops.quote_name
    pk = model._meta.pk.column
    columns = [f.column for f in encrypted] + [f.column for f in hashes]
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    # bandit: table and column names come from model metadata, quoted; the values are bound.
    select = (f"SELECT {qn(pk)}, {', '.join(qn(c) for c in columns)} FROM {qn(model._meta.db_table)} "  # nosec B608
              f"WHERE {qn(pk)} IN ({', '.join(['%s'] * len(ids))}){lock}")
    label = model._meta.label_lower
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(select, ids)
        for row in cursor.fetchall():
            report.checked += 1
            values = dict(zip(columns, row[1:], strict=True))
            plain, changes, bad = {}, {}, None
            for f in encrypted:
                token = values[f.column] or ""
                if not token:
                    plain[f.name] = ""
                    continue
                if not crypto.is_token(token):  # a plain value from before encryption
                    plain[f.name] = token
                    changes[f.column] = crypto.encrypt(token, purpose=f.purpose, keys=keys)
                    continue
                kid = crypto.token_key_id(token)
                try:
                    plain[f.name] = crypto.decrypt(token, purpose=f.purpose, keys=keys)
                except crypto.CryptoError as error:
                    bad = str(error)
                    still_used.add(kid)
                    break
                if kid != keys.current_data_id:
                    changes[f.column] = crypto.encrypt(plain[f.name], purpose=f.purpose, keys=keys)
            if bad:
                # Leave the row as it is, and keep every key it still uses.
                report.unreadable.append((label, row[0], bad))
                still_used.update(crypto.token_key_id(values[f.column]) for f in encrypted if crypto.is_token(values[f.column]))
                continue
            for h in hashes:
                expected = crypto.lookup_hash(h.kind, plain.get(h.source, ""), keys=keys)
                if values[h.column] != expected:
                    changes[h.column] = expected
            if changes:
                sets = ", ".join(f"{qn(c)} = %s" for c in changes)
                # bandit: names from model metadata, quoted; the values are bound.
                cursor.execute(f"UPDATE {qn(model._meta.db_table)} SET {sets} WHERE {qn(pk)} = %s",  # nosec B608
                               [*changes.values(), row[0]])
                report.rewritten += 1
                report.per_model[label] = report.per_model.get(label, 0) + 1


def one_pass(*, batch=500, report=None):
    """Check every encrypted row once; returns the rows rewritten in this pass."""
    report = report or Report()
    keys = crypto.ring()
    still_used = set()
    before = report.rewritten
    report.unreadable = []
    for model, encrypted, hashes in encrypted_models():
        last = None
        while True:
            qs = model._base_manager.order_by("pk")
            if last is not None:
                qs = qs.filter(pk__gt=last)
            ids = list(qs.values_list("pk", flat=True)[:batch])
            if not ids:
                break
            _batch(model, encrypted, hashes, ids, keys, report, still_used)
            last = ids[-1]
    report.passes += 1
    return report.rewritten - before, still_used


def rotate(*, new_key=True, batch=500, retire=True, wait=None, max_passes=5, log=lambda message: None):
    """Rotate (or, without `new_key`, finish rotating) the personal-data keys."""
    report = Report()
    if new_key:
        report.added = add_keys()
        log(f"新密钥 / new keys: {', '.join(report.added)}")
        # Let every running process see the new keys before rows move to them.
        time.sleep(crypto.RELOAD_SECONDS * 2 if wait is None else wait)
    still_used = set()
    for _ in range(max_passes):
        changed, still_used = one_pass(batch=batch, report=report)
        log(f"第{report.passes}遍 / pass {report.passes}: {changed} 行改写 / rows rewritten")
        if not changed:
            break
    else:
        log("多遍后仍有旧密钥的新行，旧密钥保留 / Rows under old keys keep appearing: old keys kept.")
        retire = False
    keys = crypto.ring()
    older = [kid for kid in keys.data if kid != keys.current_data_id] + [kid for kid in keys.lookup if kid != keys.current_lookup_id]
    report.kept = [kid for kid in older if kid in still_used]
    report.unused = [kid for kid in older if kid not in still_used]
    path = crypto.key_file()
    if retire and report.unused and path is not None:
        current = crypto.load()
        crypto.write_file(path, {k: v for k, v in current.data.items() if k not in report.unused},
                          {k: v for k, v in current.lookup.items() if k not in report.unused})
        crypto.reset()
        report.retired, report.unused = report.unused, []
    return report
