"""The password policy refuses a password that contains the user's username or display
name — with a suffix, doubled, reversed, in other case, with separators — with a message
in Chinese, on the own-change page and in the admin; other passwords of the same shape
pass."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from xinfang.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def refusal(password, user):
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


@pytest.mark.parametrize("password", ["ducha12345", "duchaducha", "DUCHA-2026-x", "Du.Cha_river9", "ahcud-river-77",
                                      "12345ducha!", "钱督查2026abcd", "river查督钱77"])
def test_a_password_containing_the_username_or_the_name_is_refused(people, password):
    message = refusal(password, people["ducha"])

    assert "密码不能包含您的" in message


def test_the_message_names_which_one_in_chinese(people):
    assert "用户名" in refusal("ducha12345", people["ducha"])
    assert "姓名" in refusal("钱督查2026abcd", people["ducha"])


@pytest.mark.parametrize("password", ["Qingshan-river-2026", "dengji-river-2026"])
def test_a_password_without_them_passes(people, password):
    assert refusal(password, people["ducha"]) == ""


def test_the_own_change_page_refuses_it_and_keeps_the_old_password(client, people):
    user = people["ducha"]
    client.force_login(user)

    response = client.post(reverse("org:password_change"),
                           {"old_password": PASSWORD, "new_password1": "ducha12345", "new_password2": "ducha12345"})

    assert response.status_code == 200
    assert "密码不能包含您的用户名" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_admin_refuses_it_when_creating_an_account(admin_client, units):
    response = admin_client.post(reverse("admin:org_user_add"), {
        "username": "xinren", "display_name": "钱新人", "unit": units["bureau"].pk,
        "password1": "Xinren-2026-a", "password2": "Xinren-2026-a", "usable_password": "true"})

    assert response.status_code == 200
    assert "密码不能包含您的用户名" in response.content.decode()
