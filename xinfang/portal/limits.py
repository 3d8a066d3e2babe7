"""The public site's rate limits: the shared limiter (xinfang.lib.ratelimit) under the
name the portal's code uses."""

from xinfang.lib.ratelimit import Throttled, client_ip, exceeded, guard, hit, minutes, parse, retry_after  # noqa: F401
