"""Rate limits, counted in Django's cache: the public site's (settings.PORTAL_RATE_LIMITS)
and staff's (settings.STAFF_RATE_LIMITS, e.g. how many full personal records one person
may reveal in an hour).

Fixed windows: the key holds a counter that expires with its window. `cache.add` then
`cache.incr` must be atomic across the server's processes, and are with both caches the
settings configure: Redis (`SET NX`, `INCR`) when REDIS_URL is set, else the machine's
shared file cache, whose add and incr hold a file lock (lib/filecache.py,
docs/decisions.md). The local-memory cache would count per process. Written here rather than taken from django-ratelimit
because the portal counts *failures* (a wrong code, a wrong last-four) separately from
requests and locks one query code after repeated failures, and answers in the API's
error shape; the whole mechanism is the fifty lines below.
"""

import ipaddress
import math
import re
import time

from django.conf import settings
from django.core.cache import cache

from xinfang.lib.errors import ServiceError

RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class Throttled(ServiceError):
    status = 429
    code = "throttled"

    def __init__(self, message, *, retry_after=60, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


def parse(rate):
    """"30/10m" → (30, 600)."""
    match = RATE.match(str(rate))
    if not match:
        raise ValueError(f"bad rate {rate!r}: use N/period, e.g. 30/10m, 5/1d")
    count, amount, unit = match.groups()
    return int(count), int(amount or 1) * SECONDS[unit]


def _rate(name):
    rates = {**getattr(settings, "STAFF_RATE_LIMITS", {}), **getattr(settings, "PORTAL_RATE_LIMITS", {})}
    return rates[name]


def _window(name, ident):
    allowed, period = parse(_rate(name))
    now = time.time()
    start = math.floor(now / period) * period
    return f"xf:rl:{name}:{ident}:{int(start)}", allowed, period, int(start + period - now) + 1


def hit(name, ident):
    """Count one event; True while the count is within the limit."""
    key, allowed, period, _ = _window(name, ident)
    cache.add(key, 0, period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, period + 1)
        count = 1
    return count <= allowed


def exceeded(name, ident):
    """Whether the limit is already used up, without counting."""
    key, allowed, _, _ = _window(name, ident)
    return (cache.get(key) or 0) >= allowed


def retry_after(name, ident):
    return _window(name, ident)[3]


def minutes(seconds):
    return max(1, math.ceil(seconds / 60))


def client_ip(request):
    """The visitor's address, from REMOTE_ADDR or, behind a proxy that sets it, from the
    header named by PORTAL_CLIENT_IP_HEADER (e.g. HTTP_X_REAL_IP). IPv6 visitors are
    counted by their /64 network, since one household holds a whole /64."""
    header = getattr(settings, "PORTAL_CLIENT_IP_HEADER", "")
    raw = (request.META.get(header) if header else None) or request.META.get("REMOTE_ADDR") or ""
    raw = raw.split(",")[0].strip()
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return "unknown"
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address) + "/64"
    return str(address)


def guard(name, ident, message):
    """Count a request and raise Throttled with `message` (formatted with {minutes}) once
    the limit is passed."""
    if not hit(name, ident):
        wait = retry_after(name, ident)
        raise Throttled(message.format(minutes=minutes(wait)), retry_after=wait)
