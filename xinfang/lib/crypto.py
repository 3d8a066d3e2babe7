"""Personal data at rest: AES-256-GCM with a ring of keys, and keyed hashes for exact lookup.

A stored value is a token `xf1$<key id>$<base64(nonce | ciphertext | tag)>`: the key id
says which key of the ring opens it, so rows written before a rotation stay readable
while the newest key encrypts. The associated data binds a token to its column (and
to its key id), so a token copied into another column does not open.

Lookups never decrypt: a second, separate key ring computes HMAC-SHA256 over the
normalised value (ID upper-case, phone digits only), stored beside the ciphertext.
During a rotation of that key a lookup asks for the hash under every key in the ring.

Keys come from the environment (`XINFANG_DATA_KEYS`, `XINFANG_LOOKUP_KEYS`: comma-
separated `id:base64`, newest last) or from the key file (`XINFANG_KEY_FILE`, default
var/keys/data.keys, mode 0600), which is created with fresh keys on first use unless
`XINFANG_KEYS_AUTOCREATE=0`. The file is looked at again at most once a second, so a
rotation (`manage.py rotate_data_keys`) reaches every running process without a restart.
Nothing is read at import time.
"""

import base64
import binascii
import hashlib
import hmac
import logging
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

log = logging.getLogger(__name__)

PREFIX = "xf1$"
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
TOKEN = re.compile(r"^xf1\$([A-Za-z0-9_-]{1,32})\$([A-Za-z0-9+/=]+)$")
NONCE_BYTES = 12
KEY_BYTES = 32
HASH_CHARS = 32  # 128 bits of HMAC-SHA256: plenty for an exact-match index, half the index size
RELOAD_SECONDS = 1.0
KINDS = ("data", "lookup")


class CryptoError(Exception):
    """A value that cannot be opened, or keys that cannot be loaded. The message says
    which and why, in Chinese then English."""


class KeyMissing(CryptoError):
    pass


class KeyConfigError(CryptoError):
    pass


class Unreadable(str):
    """What a column holds when its token cannot be opened (its key is not in the ring,
    or the token was altered). It reads as a short notice, so a page still renders, and
    it keeps the token it came from: saving the row writes that token back unchanged."""

    def __new__(cls, token, reason):
        obj = super().__new__(cls, f"〔无法解密：{reason}〕")
        obj.token, obj.reason = token, reason
        return obj


@dataclass
class KeyRing:
    """Keys by id, oldest first; the last one of each kind is the current one."""

    data: dict = field(default_factory=dict)
    lookup: dict = field(default_factory=dict)
    source: str = ""

    def __post_init__(self):
        self._aead = {kid: AESGCM(key) for kid, key in self.data.items()}

    @property
    def current_data_id(self):
        return next(reversed(self.data))

    @property
    def current_lookup_id(self):
        return next(reversed(self.lookup))


# --- loading the keys --------------------------------------------------------------------


def new_key_id(kind):
    return f"{kind[0]}{time.strftime('%Y%m%d')}{secrets.token_hex(3)}"


def new_key():
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def _decode_key(kid, text, where):
    if not KEY_ID.match(kid):
        raise KeyConfigError(f"{where}：密钥编号“{kid}”不合规（字母、数字、_、-，至多32位）/ Bad key id {kid!r} in {where}.")
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise KeyConfigError(f"{where}：密钥 {kid} 不是 base64 / Key {kid} in {where} is not base64.") from None
    if len(key) != KEY_BYTES:
        raise KeyConfigError(f"{where}：密钥 {kid} 应为32字节 / Key {kid} in {where} must be 32 bytes (AES-256).")
    return key


def parse_env(text, where):
    """`id:base64,id:base64` → {id: key}, in order."""
    keys = {}
    for item in (part.strip() for part in (text or "").split(",")):
        if not item:
            continue
        kid, sep, b64 = item.partition(":")
        if not sep:
            raise KeyConfigError(f"{where} 的每一项应为“编号:base64” / Each item of {where} is id:base64.")
        if kid in keys:
            raise KeyConfigError(f"{where}：密钥编号 {kid} 重复 / Key id {kid} appears twice in {where}.")
        keys[kid] = _decode_key(kid, b64, where)
    return keys


def parse_file(text, where):
    """Lines `data <id> <base64>` and `lookup <id> <base64>`; `#` starts a comment."""
    found = {kind: {} for kind in KINDS}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 3 or parts[0] not in KINDS:
            raise KeyConfigError(f"{where} 第{number}行格式不对 / Line {number} of {where}: expected 'data|lookup <id> <base64>'.")
        kind, kid, b64 = parts
        if kid in found["data"] or kid in found["lookup"]:
            raise KeyConfigError(f"{where}：密钥编号 {kid} 重复 / Key id {kid} appears twice in {where}.")
        found[kind][kid] = _decode_key(kid, b64, where)
    return found["data"], found["lookup"]


FILE_HEADER = """\
# Xinfang personal-data keys (docs/security.md). Keep this file secret (mode 0600) and
# back it up apart from the database backups: without it they cannot be read.
# One key a line: data|lookup <id> <base64 of 32 bytes>. The last key of each kind is
# the current one; older ones stay until `manage.py rotate_data_keys` retires them.
"""


def format_file(data, lookup):
    lines = [FILE_HEADER]
    lines += [f"data {kid} {base64.b64encode(key).decode()}\n" for kid, key in data.items()]
    lines += [f"lookup {kid} {base64.b64encode(key).decode()}\n" for kid, key in lookup.items()]
    return "".join(lines)


def write_file(path, data, lookup, *, exclusive=False):
    """Write the key file whole and atomically, mode 0600 from the first byte. With
    `exclusive`, do nothing when the file exists (another process made it first)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(format_file(data, lookup))
            out.flush()
            os.fsync(out.fileno())
        if exclusive:
            try:
                os.link(temp, path)  # fails when the file exists: no half-written file is ever seen
            except FileExistsError:
                return False
        else:
            os.replace(temp, path)
        return True
    finally:
        if temp.exists():
            temp.unlink()


def _config():
    # Cheap (Django caches settings lookups): this runs for every value encrypted.
    return (getattr(settings, "XINFANG_DATA_KEYS", ""), getattr(settings, "XINFANG_LOOKUP_KEYS", ""),
            getattr(settings, "XINFANG_KEY_FILE", None), getattr(settings, "XINFANG_KEYS_AUTOCREATE", True))


def _path(config):
    return Path(config[2] or Path(settings.VAR_DIR) / "keys" / "data.keys")


def key_file():
    """The key file in use, or None when the keys come from the environment."""
    config = _config()
    return None if config[0] else _path(config)


def load():
    """Read the ring from its source (not cached)."""
    config = _config()
    data_env, lookup_env, _, autocreate = config
    path = _path(config)
    if data_env:
        data = parse_env(data_env, "XINFANG_DATA_KEYS")
        lookup = parse_env(lookup_env, "XINFANG_LOOKUP_KEYS")
        if not data or not lookup:
            raise KeyConfigError("设置了 XINFANG_DATA_KEYS 时也须设置 XINFANG_LOOKUP_KEYS / "
                                 "XINFANG_LOOKUP_KEYS is required with XINFANG_DATA_KEYS.")
        return KeyRing(data=data, lookup=lookup, source="environment")
    if not path.exists():
        if not autocreate:
            raise KeyConfigError(f"找不到密钥文件 {path}，且未允许自动创建 / Key file {path} is missing "
                                 "(XINFANG_KEYS_AUTOCREATE=0): restore it from its backup.")
        created = write_file(path, {new_key_id("data"): secrets.token_bytes(KEY_BYTES)},
                             {new_key_id("lookup"): secrets.token_bytes(KEY_BYTES)}, exclusive=True)
        if created:
            log.warning("created a new personal-data key file at %s: back it up (docs/operations.md)", path)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        log.warning("key file %s is readable by others (mode %o): chmod 600 it", path, mode)
    data, lookup = parse_file(path.read_text(encoding="utf-8"), str(path))
    if not data or not lookup:
        raise KeyConfigError(f"密钥文件 {path} 中缺少 data 或 lookup 密钥 / {path} needs a data key and a lookup key.")
    return KeyRing(data=data, lookup=lookup, source=str(path))


_lock = threading.Lock()
_cache = {"config": None, "stamp": None, "checked": 0.0, "ring": None}


def _stamp(path):
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def ring():
    """The key ring in force: loaded once, and again when its settings or its file change
    (the file is looked at at most once a second)."""
    config = _config()
    cached = _cache["ring"]
    if cached is not None and _cache["config"] == config:
        if config[0]:
            return cached
        now = time.monotonic()
        if now - _cache["checked"] < RELOAD_SECONDS:
            return cached
        if _stamp(_path(config)) == _cache["stamp"]:
            _cache["checked"] = now
            return cached
    with _lock:
        loaded = load()
        _cache.update(config=config, ring=loaded, checked=time.monotonic(),
                      stamp=None if config[0] else _stamp(_path(config)))
        return loaded


def reset():
    """Forget the cached ring (after this process changed the key file)."""
    _cache.update(config=None, ring=None, stamp=None, checked=0.0)


# --- values -------------------------------------------------------------------------------


def _aad(purpose, kid):
    return f"xinfang:{purpose}:{kid}".encode()


def encrypt(plain, *, purpose, keys=None):
    """The token of `plain` under the current data key; "" stays "" (nothing to hide,
    and blank fields keep meaning "not given")."""
    if plain is None or plain == "":
        return "" if plain == "" else None
    keys = keys or ring()
    kid = keys.current_data_id
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = keys._aead[kid].encrypt(nonce, str(plain).encode("utf-8"), _aad(purpose, kid))
    return f"{PREFIX}{kid}${base64.b64encode(nonce + sealed).decode()}"


def token_key_id(token):
    """The key id of a token, or None when `token` is not one."""
    match = TOKEN.match(token or "")
    return match[1] if match else None


def decrypt(token, *, purpose, keys=None):
    if token is None or token == "":
        return token
    match = TOKEN.match(token)
    if not match:
        raise CryptoError("数据未加密或格式不对 / The stored value is not an encrypted token.")
    kid = match[1]
    keys = keys or ring()
    aead = keys._aead.get(kid)
    if aead is None:
        raise KeyMissing(f"密钥 {kid} 不在密钥环中 / Key {kid} is not in the key ring.")
    try:
        raw = base64.b64decode(match[2], validate=True)
        plain = aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(purpose, kid))
    except (InvalidTag, binascii.Error, ValueError):
        raise CryptoError(f"密文校验失败（被改动或放错了列）/ The token under key {kid} failed its check.") from None
    return plain.decode("utf-8")


def is_token(value):
    return bool(TOKEN.match(value or ""))


# --- lookup hashes --------------------------------------------------------------------------

NOT_DIGITS = re.compile(r"\D")
SPACES = re.compile(r"\s+")


def normalise(kind, value):
    """The form a value is hashed in: an ID number upper-case without spaces; a phone
    number as its digits, without China's country code in front of a mobile number."""
    value = str(value or "")
    if kind == "id":
        return SPACES.sub("", value).upper()
    if kind == "phone":
        digits = NOT_DIGITS.sub("", value)
        for prefix in ("0086", "86"):
            if digits.startswith(prefix) and len(digits) == len(prefix) + 11 and digits[len(prefix)] == "1":
                return digits[len(prefix):]
        return digits
    raise ValueError(f"unknown lookup kind {kind!r}")


def _hash(key, kind, normal):
    return hmac.new(key, f"xinfang.lookup:{kind}:{normal}".encode(), hashlib.sha256).hexdigest()[:HASH_CHARS]


def lookup_hash(kind, value, *, keys=None):
    """The hash stored for `value` (under the current lookup key); "" for no value."""
    normal = normalise(kind, value)
    if not normal:
        return ""
    keys = keys or ring()
    return _hash(keys.lookup[keys.current_lookup_id], kind, normal)


def lookup_hashes(kind, values, *, keys=None):
    """Every hash a stored row of any of `values` may carry: one per lookup key in the
    ring, so lookups keep working while a rotation recomputes the column."""
    keys = keys or ring()
    normals = {n for n in (normalise(kind, v) for v in values) if n}
    return sorted({_hash(key, kind, n) for n in normals for key in keys.lookup.values()})
