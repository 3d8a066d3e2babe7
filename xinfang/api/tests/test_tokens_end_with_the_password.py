"""A password change, by whatever path, revokes every API token of the user: a token
taken with the old password must not outlive it (whoever changed it may be shutting a
thief out). Own change, first-login change, an administrator setting it in the admin,
and any code that calls set_password() and saves."""

import pytest
from django.urls import reverse

from xinfang.api.models import ApiToken
from xinfang.api.services import issue_token
from xinfang.conftest import PASSWORD
from xinfang.org.models import User

from .conftest import ApiClient

pytestmark = pytest.mark.django_db

NEW = "Qingshan-river-2026"


def live_tokens(user):
    return ApiToken.objects.live().filter(user=user).count()


def test_changing_ones_own_password_revokes_ones_tokens(client, people):
    user = people["dengji"]
    token, _ = issue_token(user=user)
    client.force_login(user)

    response = client.post(reverse("org:password_change"),
                           {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})

    assert response.status_code == 302
    assert live_tokens(user) == 0
    assert ApiClient(client, token).get("/cases").status_code == 401


def test_an_administrator_setting_the_password_revokes_the_tokens(admin_client, people):
    user = people["dengji"]
    issue_token(user=user)
    issue_token(user=user)

    response = admin_client.post(reverse("admin:auth_user_password_change", args=[user.pk]),
                                 {"password1": NEW, "password2": NEW, "usable_password": "true"})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert live_tokens(user) == 0


def test_the_first_login_change_revokes_tokens_left_from_before(client, people):
    user = people["dengji"]
    issue_token(user=user)
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    client.force_login(user)

    client.post(reverse("org:password_change"), {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})

    user.refresh_from_db()
    assert not user.must_change_password
    assert live_tokens(user) == 0


def test_any_code_that_sets_a_password_revokes_the_tokens(people):
    user = people["dengji"]
    issue_token(user=user)

    user.set_password(NEW)
    user.save()

    assert live_tokens(user) == 0


def test_saving_a_user_without_a_new_password_keeps_the_tokens_and_other_users_keep_theirs(people):
    user, other = people["dengji"], people["chengban"]
    issue_token(user=user)
    issue_token(user=other)

    user.display_name = "改名"
    user.save()
    other.set_password(NEW)
    other.save()

    assert live_tokens(user) == 1
    assert live_tokens(other) == 0


def test_a_set_password_that_is_not_saved_revokes_nothing(people):
    user = people["dengji"]
    issue_token(user=user)

    user.set_password(NEW)
    user.save(update_fields=["display_name"])

    assert live_tokens(user) == 1
