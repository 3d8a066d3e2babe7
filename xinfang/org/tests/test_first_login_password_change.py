"""An account an administrator created, or whose password an administrator reset, must
choose its own password before anything else; the password policy applies."""

import pytest
from django.urls import reverse

from xinfang.audit.models import AuditEntry
from xinfang.conftest import PASSWORD
from xinfang.org.models import User

pytestmark = pytest.mark.django_db

NEW = "Qingshan-river-2026"


@pytest.fixture
def created_by_admin(admin_client, units):
    response = admin_client.post(reverse("admin:org_user_add"), {
        "username": "xinren", "display_name": "钱新人", "unit": units["bureau"].pk,
        "password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return User.objects.get(username="xinren")


def log_in(client, username, password=PASSWORD):
    return client.post(reverse("web:login"), {"username": username, "password": password})


def test_an_account_created_in_the_admin_must_change_its_password(created_by_admin, client):
    assert created_by_admin.must_change_password
    assert AuditEntry.objects.filter(action="user.create", object_id=str(created_by_admin.pk)).exists()

    log_in(client, "xinren")
    response = client.get(reverse("web:my_work"))

    assert response.status_code == 302
    assert response["Location"] == reverse("org:password_change") + "?next=%2Fwork%2F"
    page = client.get(response["Location"]).content.decode()
    assert "首次登录，请设置您自己的密码" in page


def test_every_page_but_the_change_and_logout_is_closed_until_then(created_by_admin, client, register_case):
    log_in(client, "xinren")
    for url in [reverse("web:search"), reverse("web:register"), reverse("audit:index"), reverse("org:security"), "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("org:password_change")), url
    assert client.post(reverse("web:logout")).status_code == 302


def test_the_new_password_opens_the_pages_and_clears_the_flag(created_by_admin, client):
    log_in(client, "xinren")
    response = client.post(reverse("org:password_change") + "?next=/cases/",
                           {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW, "next": "/cases/"})

    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.get(reverse("web:search")).status_code == 200  # the session survived the change
    user = User.objects.get(username="xinren")
    assert not user.must_change_password and user.check_password(NEW)
    assert AuditEntry.objects.filter(action="user.password_change", actor=user).exists()


@pytest.mark.parametrize("new, message", [
    ("short-1", "密码长度太短"),
    ("1234567890123", "密码只包含数字"),
    ("password123", "太常见"),
    (PASSWORD, "新密码不能与原密码相同"),
])
def test_the_password_policy_refuses_weak_or_unchanged_passwords(created_by_admin, client, new, message):
    log_in(client, "xinren")
    response = client.post(reverse("org:password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.get(username="xinren").must_change_password


def test_a_wrong_old_password_is_refused(created_by_admin, client):
    log_in(client, "xinren")
    response = client.post(reverse("org:password_change"), {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 200 and "旧密码不正确" in response.content.decode()


def test_a_password_reset_by_an_administrator_must_be_changed_too(admin_client, people, client):
    user = people["chengban"]
    response = admin_client.post(reverse("admin:auth_user_password_change", args=[user.pk]),
                                 {"password1": PASSWORD + "x", "password2": PASSWORD + "x", "usable_password": "true"})
    assert response.status_code == 302

    user.refresh_from_db()
    assert user.must_change_password
    assert AuditEntry.objects.filter(action="user.password_reset", object_id=str(user.pk)).exists()
    log_in(client, "chengban", PASSWORD + "x")
    assert client.get(reverse("web:my_work"))["Location"].startswith(reverse("org:password_change"))


def test_sample_and_demo_accounts_are_not_forced(people, client):
    assert not User.objects.filter(must_change_password=True).exists()
    log_in(client, "dengji")
    assert client.get(reverse("web:my_work")).status_code == 200


def test_the_api_refuses_a_token_until_the_password_is_changed(created_by_admin, client):
    import json

    response = client.post("/api/v1/auth/token", json.dumps({"username": "xinren", "password": PASSWORD}), content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "password_change_required"
