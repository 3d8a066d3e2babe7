"""The Redis path of the huey queue (REDIS_URL, as in CI and production): sweeps queued in
Redis and taken by two consumers at once make each reminder once and tell each person
once. Skipped where no Redis answers at REDIS_URL (default redis://127.0.0.1:6379/5), as
notify's own Redis test is."""

import datetime
import os
import time
from collections import Counter

import pytest
from huey import RedisHuey

from xinfang.cases.models import Case
from xinfang.notify.models import Notification
from xinfang.supervision import tasks
from xinfang.supervision.models import Reminder
from xinfang.tests.consumers import drain_concurrently

from .conftest import TODAY


@pytest.fixture
def redis_huey():
    redis = pytest.importorskip("redis")
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    huey = RedisHuey(f"xinfang-sweep-test-{os.getpid()}-{time.time_ns()}", url=url)
    yield huey
    huey.flush()


@pytest.mark.django_db(transaction=True)
def test_two_consumers_on_redis_make_each_reminder_and_notification_once(redis_huey, register_case, people, working_day):
    for i in range(10):
        case = register_case()
        Case.objects.filter(pk=case.pk).update(due_date=TODAY - datetime.timedelta(days=i - 2))
    sweep = redis_huey.task(name="supervision.sweep_now")(tasks.sweep_now.call_local)
    results = [sweep() for _ in range(6)]  # six sweeps waiting in Redis
    assert len(redis_huey) == 6
    errors = drain_concurrently(redis_huey)
    assert errors == [] and len(redis_huey) == 0
    assert sum(r.get()["total"] for r in results) == Reminder.objects.count() == 10
    assert sum(r.get()["told"] for r in results) == 10
    told = Counter(Notification.objects.values_list("recipient_id", "title"))
    assert told and max(told.values()) == 1
