"""Query codes (查询码): what a petitioner keeps to follow their matter online.

Format: `XF-` then 16 characters of Crockford's base32 alphabet (no I, L, O, U), in
groups of four: XF-7K3M-Q9TD-2HXA-PW4E. Fifteen characters are random (75 bits); the
last is a check character (Damm's algorithm over the field of 32 elements), so a
mistyped code is told apart from a wrong one without a database lookup. Reading is forgiving: any case, spaces or dashes, I and
L read as 1, O as 0.

The database keeps only HMAC-SHA256(PORTAL_CODE_KEY, code): the code cannot be read
back from it. The same key hashes the last four digits that guard a case with
personal data, salted with the code's hash.
"""

import hashlib
import hmac
import re
import secrets

from django.conf import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VALUE = {c: i for i, c in enumerate(ALPHABET)}
RANDOM_LENGTH = 15
PREFIX = "XF"
LOOK_ALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
SEPARATORS = re.compile(r"[\s\-_－—.·]+")


def _key():
    return (getattr(settings, "PORTAL_CODE_KEY", "") or settings.SECRET_KEY).encode()


def _times_x(value):
    """value · x in GF(2^5) modulo x^5 + x^2 + 1."""
    value <<= 1
    return value ^ 0b100101 if value & 0b100000 else value


def check_char(body):
    """Damm's check over GF(32) with the quasigroup a∘b = x·a + b: it catches every single
    wrong character and every swap of two neighbours (Luhn mod 32, used before, misses
    the swap of 0 and Z)."""
    interim = 0
    for char in body:
        interim = _times_x(interim) ^ VALUE[char]
    return ALPHABET[_times_x(interim)]


def _from_bits(raw):
    number = int.from_bytes(raw, "big")
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(RANDOM_LENGTH))


def new_code(seed=None):
    """A fresh code. With `seed` (a submission's idempotency key) the code is derived from
    it with the server's key, so a retried submission is answered with the same code
    without the code ever being stored."""
    if seed is None:
        raw = secrets.token_bytes(10)
    else:
        raw = hmac.new(_key(), b"xinfang.portal.code-from-key:" + seed.encode(), hashlib.sha256).digest()[:10]
    body = _from_bits(raw)
    return display(body + check_char(body))


def display(chars):
    return PREFIX + "-" + "-".join(chars[i:i + 4] for i in range(0, 16, 4))


def normalize(text):
    """The 16 characters of a code as typed, or None when it cannot be one (wrong length,
    a character outside the alphabet, a failed check character)."""
    chars = SEPARATORS.sub("", str(text or "")).upper().translate(LOOK_ALIKES)
    if chars.startswith(PREFIX) and len(chars) == 18:
        chars = chars[2:]
    if len(chars) != 16 or any(c not in VALUE for c in chars):
        return None
    if check_char(chars[:-1]) != chars[-1]:
        return None
    return chars


def code_hash(chars):
    return hmac.new(_key(), b"xinfang.portal.code:" + chars.encode(), hashlib.sha256).hexdigest()


def last4(value):
    """The last four characters of a phone or ID number as a person reads them: digits,
    and the X that may end an ID number."""
    chars = re.sub(r"[^0-9X]", "", str(value or "").upper())
    return chars[-4:] if len(chars) >= 4 else ""


def verifier_hash(hash_of_code, four):
    return hmac.new(_key(), f"xinfang.portal.verify:{hash_of_code}:{four}".encode(), hashlib.sha256).hexdigest()


def verifiers_for(hash_of_code, *, phone="", id_number=""):
    return sorted({verifier_hash(hash_of_code, four) for four in (last4(phone), last4(id_number)) if four})


def verifies(submission, four):
    four = last4(four)
    if not four or len(four) != 4:
        return False
    given = verifier_hash(submission.code_hash, four)
    return any(hmac.compare_digest(given, stored) for stored in submission.verifiers)
