"""Five failed logins lock the account for 30 minutes (settings.AXES_*), on the login
page and on the API token route, with a message in Chinese and English; after the
cool-off the right password works again."""

import json

import pytest
import time_machine
from django.urls import reverse

from xinfang.audit.models import AuditEntry
from xinfang.conftest import PASSWORD

pytestmark = pytest.mark.django_db

START = "2026-03-02 09:00 +0800"


def web_login(client, password, username="dengji"):
    return client.post(reverse("web:login"), {"username": username, "password": password})


def api_token(client, password, username="dengji"):
    return client.post("/api/v1/auth/token", json.dumps({"username": username, "password": password}), content_type="application/json")


def test_the_login_page_locks_after_five_failures_then_opens_after_the_cool_off(client, people):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(4):
            assert web_login(client, "wrong-password").status_code == 200
        locked = web_login(client, "wrong-password")

        assert locked.status_code == 429
        page = locked.content.decode()
        assert "账号已暂时锁定" in page and "请30分钟后再试" in page and "Too many failed logins" not in page
        assert locked["Retry-After"] == "1800"

        # Even the right password is refused while locked.
        assert web_login(client, PASSWORD).status_code == 429
        clock.move_to("2026-03-02 09:29 +0800")
        assert web_login(client, PASSWORD).status_code == 429

        clock.move_to("2026-03-02 09:31 +0800")
        response = web_login(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("web:my_work")


def test_a_success_before_the_limit_resets_the_count(client, people):
    for _ in range(4):
        web_login(client, "wrong-password")
    assert web_login(client, PASSWORD).status_code == 302
    client.post(reverse("web:logout"))
    for _ in range(4):
        assert web_login(client, "wrong-password").status_code == 200


def test_the_lock_is_per_account(client, people):
    for _ in range(5):
        web_login(client, "wrong-password")
    assert web_login(client, PASSWORD, username="chengban").status_code == 302


def test_the_api_token_route_locks_too_and_answers_429_in_the_error_shape(client, people):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(4):
            assert api_token(client, "wrong-password").status_code == 401
        locked = api_token(client, "wrong-password")

        assert locked.status_code == 429
        error = locked.json()["error"]
        assert error["code"] == "locked_out" and " / " in error["message"] and "30" in error["message"]
        assert api_token(client, PASSWORD).status_code == 429

        clock.move_to("2026-03-02 09:31 +0800")
        assert api_token(client, PASSWORD).status_code == 201


def test_failures_on_the_page_and_the_api_count_together(client, people):
    for _ in range(3):
        web_login(client, "wrong-password")
    api_token(client, "wrong-password")
    assert api_token(client, "wrong-password").status_code == 429
    assert web_login(client, PASSWORD).status_code == 429


def test_the_lockout_is_in_the_audit_record(client, people):
    for _ in range(6):
        web_login(client, "wrong-password")
    failures = AuditEntry.objects.filter(action="auth.login_failed", object_id="dengji")
    assert failures.count() == 6
    assert failures.filter(detail__locked_out=True).exists()
