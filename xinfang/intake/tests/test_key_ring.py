"""Where the keys come from: the environment, or the key file that a fresh clone makes
on first use (mode 0600) and that running processes read again when it changes."""

import base64
import os

import pytest

from xinfang.lib import crypto


def key(byte):
    return base64.b64encode(bytes([byte]) * 32).decode()


@pytest.fixture
def file_keys(settings, tmp_path):
    """No keys in the environment: the key file under tmp_path."""
    settings.XINFANG_DATA_KEYS = settings.XINFANG_LOOKUP_KEYS = ""
    settings.XINFANG_KEY_FILE = tmp_path / "keys" / "data.keys"
    crypto.reset()
    yield settings.XINFANG_KEY_FILE
    crypto.reset()


def test_the_newest_key_in_the_environment_encrypts_and_the_older_still_decrypt(settings):
    settings.XINFANG_DATA_KEYS = f"old:{key(1)}"
    settings.XINFANG_LOOKUP_KEYS = f"lold:{key(2)}"
    token = crypto.encrypt("13800000001", purpose="t.phone")
    settings.XINFANG_DATA_KEYS = f"old:{key(1)}, new:{key(3)}"

    assert crypto.decrypt(token, purpose="t.phone") == "13800000001"
    assert crypto.token_key_id(crypto.encrypt("13800000001", purpose="t.phone")) == "new"


@pytest.mark.parametrize("data, lookup, message", [
    ("k1", "l1:" + key(2), "编号:base64"),
    ("k1:not-base64!", "l1:" + key(2), "不是 base64"),
    ("k1:" + base64.b64encode(b"short").decode(), "l1:" + key(2), "32字节"),
    (f"k1:{key(1)},k1:{key(3)}", "l1:" + key(2), "重复"),
    ("bad id:" + key(1), "l1:" + key(2), "不合规"),
    ("k1:" + key(1), "", "XINFANG_LOOKUP_KEYS"),
])
def test_bad_keys_in_the_environment_are_a_clear_error(settings, data, lookup, message):
    settings.XINFANG_DATA_KEYS, settings.XINFANG_LOOKUP_KEYS = data, lookup
    with pytest.raises(crypto.KeyConfigError, match=message):
        crypto.ring()


def test_a_missing_key_file_is_created_once_with_mode_600(file_keys):
    ring = crypto.ring()

    assert file_keys.exists() and oct(file_keys.stat().st_mode & 0o777) == "0o600"
    assert len(ring.data) == len(ring.lookup) == 1 and ring.source == str(file_keys)
    assert "back it up apart from the database" in file_keys.read_text()
    crypto.reset()
    assert crypto.ring().data == ring.data  # read again, not made again


def test_without_autocreate_a_missing_key_file_is_an_error_never_a_new_key(file_keys, settings):
    settings.XINFANG_KEYS_AUTOCREATE = False
    with pytest.raises(crypto.KeyConfigError, match="restore it from its backup"):
        crypto.ring()
    assert not file_keys.exists()


def test_a_changed_key_file_is_read_again(file_keys, monkeypatch):
    first = crypto.ring()
    data = {**first.data, "dnext": b"\x05" * 32}
    crypto.write_file(file_keys, data, first.lookup)
    monkeypatch.setattr(crypto, "RELOAD_SECONDS", 0)

    assert crypto.ring().current_data_id == "dnext"


def test_a_garbled_key_file_names_the_line(file_keys):
    file_keys.parent.mkdir(parents=True)
    file_keys.write_text("data k1\n")
    os.chmod(file_keys, 0o600)
    with pytest.raises(crypto.KeyConfigError, match="第1行"):
        crypto.ring()


def test_a_token_under_a_key_not_in_the_ring_says_which_key(settings):
    settings.XINFANG_DATA_KEYS = f"gone:{key(9)}"
    token = crypto.encrypt("x", purpose="t.x")
    settings.XINFANG_DATA_KEYS = f"other:{key(8)}"
    with pytest.raises(crypto.KeyMissing, match="gone"):
        crypto.decrypt(token, purpose="t.x")
