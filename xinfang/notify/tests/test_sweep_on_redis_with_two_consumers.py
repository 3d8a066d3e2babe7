"""The Redis path of the huey queue (REDIS_URL, as in CI and production): sweeps queued in
Redis and taken by two consumers at once send each message exactly once. Skipped where
no Redis answers at REDIS_URL (default redis://127.0.0.1:6379/5)."""

import os
import time
from collections import Counter

import pytest
from huey import RedisHuey

from xinfang.notify import services, tasks
from xinfang.notify.kinds import Status
from xinfang.notify.models import OutboundMessage
from xinfang.tests.consumers import drain_concurrently

from .test_two_workers_never_send_one_message_twice import SENT


@pytest.fixture
def redis_huey():
    redis = pytest.importorskip("redis")
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    huey = RedisHuey(f"xinfang-notify-test-{os.getpid()}-{time.time_ns()}", url=url)
    yield huey
    huey.flush()


@pytest.mark.django_db(transaction=True)
def test_two_consumers_on_redis_send_each_message_once(redis_huey, settings, working_hours):
    settings.SMS_BACKEND = "xinfang.notify.tests.test_two_workers_never_send_one_message_twice.CountingBackend"
    settings.NOTIFY = {**settings.NOTIFY, "batch": 10}
    SENT.clear()
    for i in range(60):
        services.queue("sms", f"1390000{i:04d}", kind="case_step", body=f"第{i}条", key=f"r{i}")
    sweep = redis_huey.task(name="notify.deliver_now")(tasks.deliver_now.call_local)
    results = [sweep() for _ in range(10)]  # ten sweeps waiting in Redis
    assert len(redis_huey) == 10
    errors = drain_concurrently(redis_huey)
    assert errors == [] and len(redis_huey) == 0
    assert sum(r.get()["sent"] for r in results) == 60
    assert len(SENT) == 60 and max(Counter(SENT).values()) == 1
    assert OutboundMessage.objects.filter(status=Status.SENT).count() == 60
