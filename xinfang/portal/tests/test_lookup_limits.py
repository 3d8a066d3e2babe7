"""Guessing codes is infeasible: per network a few failed lookups, per code a few wrong
last-four digits, then a clear refusal that says when to come back."""

import pytest

from xinfang.lib.errors import Invalid, NotFound
from xinfang.lib import ratelimit as limits
from xinfang.portal import codes
from xinfang.portal.services import find


def unknown_code():
    return codes.new_code()


def test_the_rate_format_reads_counts_per_period():
    assert limits.parse("30/10m") == (30, 600)
    assert limits.parse("5/d") == (5, 86400)
    with pytest.raises(ValueError):
        limits.parse("often")


def test_a_network_is_stopped_after_ten_failed_lookups(db, settings):
    for _ in range(10):
        with pytest.raises(NotFound):
            find(code=unknown_code(), ip="198.51.100.1")
    with pytest.raises(limits.Throttled) as err:
        find(code=unknown_code(), ip="198.51.100.1")
    assert err.value.status == 429 and "分钟后再试" in err.value.message and err.value.retry_after > 0
    with pytest.raises(NotFound):  # another network is not affected
        find(code=unknown_code(), ip="198.51.100.2")


def test_a_mistyped_code_is_told_apart_and_not_counted_as_a_guess(db):
    for _ in range(20):
        with pytest.raises(Invalid) as err:
            find(code="XF-1234-5678", ip="198.51.100.3")
        assert err.value.code == "bad_code"
    with pytest.raises(NotFound):
        find(code=unknown_code(), ip="198.51.100.3")


def test_every_request_counts_against_the_networks_request_limit(db, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "follow_ip": "3/1h"}
    for _ in range(3):
        with pytest.raises(Invalid):
            find(code="bad", ip="198.51.100.4")
    with pytest.raises(limits.Throttled):
        find(code="bad", ip="198.51.100.4")


def test_a_code_is_locked_after_five_wrong_last_four_digits_from_anywhere(submit_online):
    receipt = submit_online()
    for i in range(5):
        with pytest.raises(NotFound):
            find(code=receipt.code, verify="9999", ip=f"192.0.2.{i}")
    with pytest.raises(limits.Throttled) as err:
        find(code=receipt.code, verify="0001", ip="192.0.2.200")  # even the right digits, for now
    assert "锁定" in err.value.message


def test_the_right_code_and_digits_open_the_case(submit_online):
    receipt = submit_online()
    assert find(code=receipt.code, verify="0001", ip="192.0.2.9").case == receipt.case
    assert find(code=receipt.code, verify="002X", ip="192.0.2.9").case == receipt.case


def test_a_case_with_personal_data_asks_for_the_last_four_digits(submit_online):
    receipt = submit_online()
    with pytest.raises(Invalid) as err:
        find(code=receipt.code, ip="192.0.2.10")
    assert err.value.code == "verifier_required" and "verify" in err.value.fields


def test_an_anonymous_case_opens_with_the_code_alone(submit_online):
    receipt = submit_online(kind="accusation", anonymous=True)
    assert find(code=receipt.code, ip="192.0.2.11").case == receipt.case


def test_ipv6_visitors_are_counted_by_their_64_network(rf):
    request = rf.get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    other = rf.get("/", REMOTE_ADDR="2001:db8:1:2:bbbb::9")
    assert limits.client_ip(request) == limits.client_ip(other) == "2001:db8:1:2::/64"
    assert limits.client_ip(rf.get("/", REMOTE_ADDR="::ffff:203.0.113.5")) == "203.0.113.5"
