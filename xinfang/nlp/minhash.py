"""MinHash signatures over character 3-grams and their LSH band keys, in numpy.

Why not datasketch: its MinHash hashes every shingle with SHA-1 in Python and its LSH
keeps Python dicts of byte strings in memory (several GB at a million texts, and one copy
per server process). Here a signature is one vectorised pass (multiply-shift hashing of
64-bit shingle hashes), and the band keys are 64-bit integers that the database indexes
(nlp.MinHashBand): a lookup is `bands` B-tree probes whatever the number of texts,
shared by every process and kept in the same transactions as the petitions.
"""

import hashlib
import re
from functools import lru_cache

import numpy as np

SHINGLE = 3
_MASK32 = np.uint64(0xFFFFFFFF)
_SKIP = re.compile(r"[\s\W_]+", re.UNICODE)


def _mix(x):
    """splitmix64 finaliser: spreads the bits of 64-bit integers (vectorised)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


class Hasher:
    """A family of `perms` hash functions and the banding that goes with it. The seed is
    fixed: signatures stored years ago must stay comparable with today's."""

    def __init__(self, perms=64, bands=16, seed=20260101):
        if perms % bands:
            raise ValueError("perms must be a multiple of bands")
        self.perms, self.bands, self.rows = perms, bands, perms // bands
        rng = np.random.default_rng(seed)
        self.a = (rng.integers(1, 2**63, size=(perms, 1), dtype=np.uint64) * np.uint64(2) + np.uint64(1))
        self.b = rng.integers(0, 2**63, size=(perms, 1), dtype=np.uint64)
        self.band_salt = rng.integers(1, 2**63, size=bands, dtype=np.uint64)
        self.row_mult = rng.integers(1, 2**63, size=self.rows, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        self._text_signature = lru_cache(maxsize=32)(lambda text: self._signature(self.shingles(text)))

    def shingles(self, text):
        """64-bit hashes of the distinct character 3-grams of a prepared text (letters and
        digits only: punctuation and spacing do not make two letters different)."""
        letters = _SKIP.sub("", text or "")
        if not letters:
            return np.empty(0, dtype=np.uint64)
        codes = np.frombuffer(letters.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        if len(codes) < SHINGLE:
            h = np.array([int.from_bytes(hashlib.blake2b(letters.encode(), digest_size=8).digest(), "little")], dtype=np.uint64)
        else:
            k = np.uint64(0x100000001B3)
            h = codes[:-2] * k * k + codes[1:-1] * k + codes[2:]
        return np.unique(_mix(h))

    def signature(self, text=None, *, shingles=None):
        """The MinHash signature (uint32 × perms, read-only), or None for a text with no
        letters. A registration asks for its text's signature twice (to index it and
        to look for near-duplicates): the last few texts' signatures are kept."""
        if shingles is None:
            return self._text_signature(text or "")
        return self._signature(shingles)

    def _signature(self, h):
        if h.size == 0:
            return None
        with np.errstate(over="ignore"):
            values = ((self.a * h[None, :] + self.b) >> np.uint64(32)) & _MASK32
        signature = values.min(axis=1).astype(np.uint32)
        signature.flags.writeable = False
        return signature

    def band_keys(self, signature):
        """One signed 64-bit key per band: equal keys mean equal rows in that band."""
        return self.band_keys_many(signature[None, :])[0].tolist()

    def band_keys_many(self, signatures):
        """Band keys of many signatures at once (n × bands, int64)."""
        rows = signatures.astype(np.uint64).reshape(len(signatures), self.bands, self.rows)
        with np.errstate(over="ignore"):
            combined = (rows * self.row_mult[None, None, :]).sum(axis=2, dtype=np.uint64) ^ self.band_salt[None, :]
            keys = _mix(combined)
        return keys.view(np.int64)

    @staticmethod
    def similarity(sig_a, sig_b):
        """The estimated Jaccard similarity of two texts' 3-gram sets."""
        return float(np.count_nonzero(sig_a == sig_b)) / len(sig_a)

    def to_bytes(self, signature):
        return signature.astype("<u4").tobytes()

    def from_bytes(self, data):
        return np.frombuffer(bytes(data), dtype="<u4")


def hasher():
    from .conf import nlp_setting

    return _hasher(nlp_setting("minhash_perms"), nlp_setting("minhash_bands"))


_HASHERS = {}


def _hasher(perms, bands):
    key = (perms, bands)
    if key not in _HASHERS:
        _HASHERS[key] = Hasher(perms, bands)
    return _HASHERS[key]


def text_hash(prepared_text):
    """Equal for texts that differ only in spacing, punctuation, width or script."""
    letters = _SKIP.sub("", prepared_text or "")
    return hashlib.sha1(letters.encode("utf-8"), usedforsecurity=False).hexdigest() if letters else ""


class MemoryIndex:
    """The same LSH in memory, for scanning a file (dedupe_scan) and for tests: band key
    → ids. Lookups cost `bands` dictionary probes, whatever the number of texts."""

    def __init__(self, h=None):
        self.h = h or hasher()
        self.buckets = {}
        self.signatures = {}

    def add(self, key, signature):
        self.signatures[key] = signature
        for band in self.h.band_keys(signature):
            self.buckets.setdefault(band, []).append(key)

    def candidates(self, signature):
        found = set()
        for band in self.h.band_keys(signature):
            found.update(self.buckets.get(band, ()))
        return found

    def query(self, signature, threshold):
        out = []
        for key in self.candidates(signature):
            score = self.h.similarity(signature, self.signatures[key])
            if score >= threshold:
                out.append((score, key))
        return sorted(out, reverse=True)
