"""The default cache when REDIS_URL is not set: Django's file-based cache, shared by every
process of the machine (the two gunicorn workers of scripts/serve.sh, the huey worker),
with `add` and `incr` made atomic across processes.

Django's FileBasedCache writes each value by an atomic rename, but its `add` is "check,
then set" and its `incr` is "get, then set": two workers counting the same rate limit at
once both read 7 and both write 8. Here both run under an exclusive lock (flock) on one
of a few lock files chosen by the key, so counts from any number of processes add up
exactly (lib/ratelimit.py, docs/decisions.md). Several machines share nothing through
files: they set REDIS_URL, whose INCR is atomic by itself.
"""

import os
import pickle
import time
import zlib
from contextlib import contextmanager
from hashlib import md5

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

LOCK_STRIPES = 16


class LockedFileCache(FileBasedCache):
    @contextmanager
    def _locked(self, key, version):
        folder = os.path.join(self._dir, "locks")
        os.makedirs(folder, mode=0o700, exist_ok=True)
        name = self.make_and_validate_key(key, version=version)
        stripe = int(md5(name.encode(), usedforsecurity=False).hexdigest()[:4], 16) % LOCK_STRIPES
        with open(os.path.join(folder, f"{stripe}.lock"), "a+b") as handle:
            locks.lock(handle, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(handle)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._locked(key, version):
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self._locked(key, version):
            try:
                with open(self._key_to_file(key, version), "rb") as f:
                    # The cache's own files (mode 0700 directory), read as Django's
                    # FileBasedCache.get reads them: nothing from outside is unpickled.
                    expiry = pickle.load(f)  # nosec B301
                    value = pickle.loads(zlib.decompress(f.read()))  # nosec B301
            except FileNotFoundError:
                expiry, value = 0, None
            if expiry is not None and expiry < time.time():
                raise ValueError(f"Key '{key}' not found")
            value += delta
            # Keep the expiry the key was added with: a window's counter ends with it.
            self.set(key, value, None if expiry is None else max(expiry - time.time(), 0.001), version)
            return value
