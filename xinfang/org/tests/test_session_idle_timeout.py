"""A session ends after SESSION_IDLE_TIMEOUT seconds without a request (30 minutes by
default); each request restarts the clock."""

import pytest
from django.urls import reverse

from xinfang.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, people, time_machine):
    time_machine.move_to("2026-03-02 09:00 +0800", tick=False)
    client.force_login(people["dengji"])
    assert client.get(reverse("web:my_work")).status_code == 200
    return client


def test_a_request_within_the_idle_limit_keeps_the_session(signed_in, time_machine):
    for minute in (20, 45, 70):  # each request is within 30 minutes of the one before
        time_machine.move_to(f"2026-03-02 09:{minute % 60:02d} +0800" if minute < 60 else f"2026-03-02 10:{minute - 60:02d} +0800")
        assert signed_in.get(reverse("web:my_work")).status_code == 200


def test_thirty_minutes_idle_ends_the_session_with_a_message(signed_in, people, time_machine):
    time_machine.move_to("2026-03-02 09:31 +0800")

    response = signed_in.get(reverse("web:search") + "?q=x")

    assert response.status_code == 302
    assert response["Location"] == reverse("web:login") + "?next=/cases/%3Fq%3Dx"
    page = signed_in.get(response["Location"]).content.decode()
    assert "您已超过30分钟未操作" in page and "工作人员登录" in page
    assert signed_in.get(reverse("web:my_work")).status_code == 302
    entry = AuditEntry.objects.filter(action="auth.logout").get()
    assert entry.actor == people["dengji"] and entry.detail == {"reason": "idle"}


def test_the_limit_is_configurable_and_zero_turns_it_off(signed_in, settings, time_machine):
    settings.SESSION_IDLE_TIMEOUT = 0
    time_machine.move_to("2026-03-02 12:00 +0800")
    assert signed_in.get(reverse("web:my_work")).status_code == 200
