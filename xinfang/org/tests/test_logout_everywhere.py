"""“退出所有设备”: every session of the user on every device ends and every API token of
theirs is revoked; other people's sessions and tokens are untouched."""

import pytest
from django.test import Client
from django.urls import reverse

from xinfang.api.models import ApiToken
from xinfang.api.services import issue_token
from xinfang.audit.models import AuditEntry
from xinfang.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(username):
    client = Client()
    assert client.post(reverse("web:login"), {"username": username, "password": PASSWORD}).status_code == 302
    return client


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_the_button_ends_another_sessions_and_revokes_tokens(people):
    office, laptop, colleague = signed_in("dengji"), signed_in("dengji"), signed_in("chengban")
    token, _ = issue_token(user=people["dengji"])
    colleague_token, _ = issue_token(user=people["chengban"])
    assert laptop.get(reverse("web:my_work")).status_code == 200

    response = office.post(reverse("org:logout_everywhere"))

    assert response.status_code == 302 and response["Location"] == reverse("web:login")
    assert "已退出所有设备上的登录，并注销了1个接口令牌" in office.get(response["Location"]).content.decode()
    assert laptop.get(reverse("web:my_work")).status_code == 302
    assert office.get(reverse("web:my_work")).status_code == 302
    assert Client().get("/api/v1/cases", headers=bearer(token)).status_code == 401
    # Somebody else's session and token still work.
    assert colleague.get(reverse("web:my_work")).status_code == 200
    assert Client().get("/api/v1/cases", headers=bearer(colleague_token)).status_code == 200
    entry = AuditEntry.objects.get(action="user.logout_everywhere")
    assert entry.actor == people["dengji"] and entry.detail == {"tokens_revoked": 1}


def test_logging_in_again_afterwards_works(people):
    office = signed_in("dengji")
    office.post(reverse("org:logout_everywhere"))
    again = signed_in("dengji")
    assert again.get(reverse("web:my_work")).status_code == 200


def test_it_is_a_post_only(people):
    office = signed_in("dengji")
    assert office.get(reverse("org:logout_everywhere")).status_code == 405
    assert office.get(reverse("web:my_work")).status_code == 200


def test_the_api_can_do_it_too(people):
    laptop = signed_in("dengji")
    token, _ = issue_token(user=people["dengji"])
    other, _ = issue_token(user=people["dengji"])

    response = Client().post("/api/v1/auth/logout-everywhere", headers=bearer(token))

    assert response.status_code == 204
    assert not ApiToken.objects.live().filter(user=people["dengji"]).exists()
    assert Client().get("/api/v1/cases", headers=bearer(other)).status_code == 401
    assert laptop.get(reverse("web:my_work")).status_code == 302


def test_the_admin_can_end_a_colleagues_sessions(admin_client, people):
    laptop = signed_in("chengban")
    response = admin_client.post(reverse("admin:org_user_changelist"),
                                 {"action": "logout_everywhere", "_selected_action": [people["chengban"].pk]})
    assert response.status_code == 302
    assert laptop.get(reverse("web:my_work")).status_code == 302


def test_the_security_page_shows_the_button_and_the_token_count(people):
    office = signed_in("dengji")
    issue_token(user=people["dengji"])
    page = office.get(reverse("org:security")).content.decode()
    assert "退出所有设备" in page and 'data-testid="live-tokens">1<' in page


def test_the_security_page_lists_recent_sign_ins_and_failed_attempts(people, client):
    client.post(reverse("web:login"), {"username": "dengji", "password": "wrong-password"})
    office = signed_in("dengji")
    page = office.get(reverse("org:security")).content.decode()
    activity = page[page.index('data-testid="login-activity"'):]
    assert activity.count("<tr>") == 2  # the login and the failed attempt
    assert "登录失败" in activity and "登录" in activity
