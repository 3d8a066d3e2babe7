import pytest
import time_machine
from django.core.cache import cache

# A Wednesday in working hours (Beijing time): messages go out at once.
WORKING = "2026-12-02 10:00 +0800"


@pytest.fixture(autouse=True)
def logging_sms(settings):
    settings.SMS_BACKEND = "xinfang.notify.sms.LoggingSMSBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFY = {**settings.NOTIFY, "max_attempts": 3, "backoff_seconds": 60}
    cache.clear()  # the calendar's day table


@pytest.fixture
def working_hours():
    with time_machine.travel(WORKING, tick=False) as traveller:
        yield traveller
