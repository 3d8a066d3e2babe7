"""Two huey consumers sweeping at once (two threads with their own database connections:
PostgreSQL's row locks with SKIP LOCKED, SQLite's write lock) send each message exactly
once; and a worker that dies mid-sweep leaves rows the next sweep finishes without
sending anything twice."""

import datetime
import threading
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from xinfang.notify import services, sms
from xinfang.notify.kinds import Status
from xinfang.notify.models import OutboundMessage

SENT = []


class CountingBackend:
    """Records every hand-over (by row reference) in this process: what the test counts."""

    def send(self, to, body, *, ref=""):
        SENT.append(ref)
        threading.Event().wait(0.002)  # a gateway takes a moment: the two sweeps overlap
        return ref


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_message_exactly_once(settings, working_hours):
    settings.SMS_BACKEND = f"{__name__}.CountingBackend"
    settings.NOTIFY = {**settings.NOTIFY, "batch": 10}  # many small claims, interleaved
    SENT.clear()
    for i in range(120):
        services.queue("sms", f"1380000{i:04d}", kind="case_step", body=f"第{i}条", key=f"m{i}")
    start, errors, sweeps = threading.Barrier(2), [], []

    def worker():
        try:
            start.wait()
            while (sweep := services.deliver_due()).sent:
                sweeps.append(sweep.sent)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(SENT) == 120 and max(Counter(SENT).values()) == 1
    assert OutboundMessage.objects.filter(status=Status.SENT).count() == 120
    assert sum(sweeps) == 120


@pytest.mark.django_db
def test_a_worker_that_died_before_handing_over_leaves_the_message_for_the_next_sweep(working_hours):
    message = services.queue("sms", "13800000001", kind="case_step", body="x")
    claimed = services._claim(timezone.now(), 10, services.Sweep())  # the worker claims, then dies
    assert [m.pk for m in claimed] == [message.pk]
    assert services.deliver_due().sent == 0  # its lease still holds
    working_hours.shift(datetime.timedelta(seconds=settings_lease() + 1))
    sweep = services.deliver_due()
    message.refresh_from_db()
    assert (sweep.requeued, sweep.sent, message.status, message.attempts) == (1, 1, Status.SENT, 1)


@pytest.mark.django_db
def test_a_worker_that_died_after_handing_over_is_not_sent_again_but_shown_to_the_administrator(working_hours, people, monkeypatch):
    message = services.queue("sms", "13800000001", kind="case_step", body="x")

    def dies(*args, **kwargs):
        raise SystemExit("killed")  # the process ends inside the gateway call

    monkeypatch.setattr(sms, "send", dies)
    with pytest.raises(SystemExit):
        services.deliver_due()
    monkeypatch.undo()
    message.refresh_from_db()
    assert message.status == Status.SENDING and message.handed_at is not None
    working_hours.shift(datetime.timedelta(seconds=settings_lease() + 1))
    sweep = services.deliver_due()
    message.refresh_from_db()
    assert (sweep.sent, sweep.given_up, message.status) == (0, 1, Status.GIVEN_UP)
    assert message.last_error.startswith("发送过程中断，无法确定是否已送达")
    assert people["guanli"].notifications.count() == 1


def settings_lease():
    from django.conf import settings
    return settings.NOTIFY["lease_seconds"]
