"""No SMS or email reaches a person at night, on a rest day or a holiday: it is held and
goes out at 08:30 (Beijing) of the next working day of the legal calendar.

2026: National Day and Mid-Autumn are off from Thursday 1 to Wednesday 7 October (the
State Council's notice, in the calendar's official data); Thursday 8 October is the first
working day, and Saturday 10 October is a working day in exchange."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from xinfang.notify import services
from xinfang.notify.kinds import Status

pytestmark = pytest.mark.django_db
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def test_a_message_queued_on_the_eve_at_20_00_goes_out_at_08_30_on_8_october():
    with time_machine.travel(at("2026-09-30T20:00"), tick=False) as clock:
        message = services.queue("sms", "13800000001", kind="case_step", body="您的信访事项已受理")
        sweep = services.deliver_due()
        message.refresh_from_db()
        assert (sweep.sent, sweep.held) == (0, 1)
        assert message.status == Status.HELD
        assert message.next_attempt_at == at("2026-10-08T08:30")
        for day in ("2026-10-01T10:00", "2026-10-07T17:00", "2026-10-08T08:29"):  # holiday, holiday, before hours
            clock.move_to(at(day))
            assert services.deliver_due().sent == 0
        clock.move_to(at("2026-10-08T08:30"))
        assert services.deliver_due().sent == 1
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert timezone.localtime(message.sent_at) == at("2026-10-08T08:30")


def test_the_exchanged_working_saturday_is_a_working_morning():
    with time_machine.travel(at("2026-10-09T19:00"), tick=False):
        assert services.release_time(timezone.now()) == at("2026-10-10T08:30")


@pytest.mark.parametrize("now,release", [
    ("2026-12-02T08:29", "2026-12-02T08:30"),  # Wednesday, early
    ("2026-12-02T08:30", "2026-12-02T08:30"),  # in hours: now
    ("2026-12-02T17:59", "2026-12-02T17:59"),
    ("2026-12-02T18:00", "2026-12-03T08:30"),  # evening: the next morning
    ("2026-12-04T18:30", "2026-12-07T08:30"),  # Friday evening: Monday
    ("2026-12-05T11:00", "2026-12-07T08:30"),  # Saturday
])
def test_working_hours_of_ordinary_weeks(now, release):
    assert services.release_time(at(now)) == at(release)


def test_the_hours_are_a_setting(settings):
    settings.NOTIFY = {**settings.NOTIFY, "work_start": "09:00", "work_end": "17:00"}
    assert services.release_time(at("2026-12-02T17:30")) == at("2026-12-03T09:00")
