"""Roles are kept per process (org.models._RoleCache); a change of a user's groups must
be seen on the very next request, whichever way the membership was changed."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from xinfang.conftest import PASSWORD
from xinfang.org.choices import Role
from xinfang.org.models import User

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request loads it (a new instance from the database)."""
    return User.objects.get(pk=user.pk)


def group_queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return result, sum("auth_group" in q["sql"] for q in ctx.captured_queries)


def test_the_second_request_of_a_user_reads_the_roles_from_the_cache(people):
    roles, queries = group_queries(lambda: fresh(people["dengji"]).roles)
    assert roles == {Role.REGISTRAR} and queries == 1
    roles, queries = group_queries(lambda: fresh(people["dengji"]).roles)
    assert roles == {Role.REGISTRAR} and queries == 0


def test_a_role_taken_away_through_the_user_is_gone_on_the_next_request(people):
    clerk = people["dengji"]
    assert fresh(clerk).has_role(Role.REGISTRAR)
    fresh(clerk).groups.remove(Group.objects.get(name=Role.REGISTRAR))
    assert not fresh(clerk).has_role(Role.REGISTRAR)


def test_a_role_taken_away_through_the_group_is_gone_on_the_next_request(people):
    clerk = people["dengji"]
    assert fresh(clerk).has_role(Role.REGISTRAR)
    Group.objects.get(name=Role.REGISTRAR).user_set.remove(clerk)
    assert not fresh(clerk).has_role(Role.REGISTRAR)


def test_clearing_a_group_and_giving_a_role_are_seen_at_once(people):
    clerk, handler = people["dengji"], people["chengban"]
    assert fresh(clerk).has_role(Role.REGISTRAR) and not fresh(handler).has_role(Role.REGISTRAR)
    group = Group.objects.get(name=Role.REGISTRAR)
    group.user_set.clear()
    assert not fresh(clerk).has_role(Role.REGISTRAR)
    group.user_set.add(handler)
    assert fresh(handler).has_role(Role.REGISTRAR, Role.HANDLER) and fresh(handler).roles == {Role.REGISTRAR, Role.HANDLER}


def test_renaming_or_deleting_a_group_changes_its_members_roles(people):
    clerk = people["dengji"]
    assert fresh(clerk).roles == {Role.REGISTRAR}
    group = Group.objects.get(name=Role.REGISTRAR)
    group.name = "former-registrar"
    group.save()
    assert fresh(clerk).roles == {"former-registrar"}
    group.delete()
    assert fresh(clerk).roles == frozenset()


def test_a_role_change_rolled_back_leaves_no_trace_in_the_cache(people):
    clerk = people["dengji"]
    head = Group.objects.get(name=Role.HEAD)
    with pytest.raises(RuntimeError), transaction.atomic():
        fresh(clerk).groups.add(head)
        assert fresh(clerk).has_role(Role.HEAD)  # cached under the stamp of the change
        raise RuntimeError("rolled back")
    assert not fresh(clerk).has_role(Role.HEAD)
    fresh(clerk).groups.remove(Group.objects.get(name=Role.REGISTRAR))
    assert fresh(clerk).roles == frozenset()


def test_a_clerk_whose_role_is_removed_is_refused_by_the_api_with_the_same_token(client, people, units):
    token = client.post("/api/v1/auth/token", {"username": "dengji", "password": PASSWORD},
                        content_type="application/json").json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = {"channel": "letter", "receiving_unit": units["bureau"].code, "title": "拖欠工资", "content": "拖欠三个月工资。"}
    assert client.post("/api/v1/petitions", body, content_type="application/json", **auth).status_code == 201
    Group.objects.get(name=Role.REGISTRAR).user_set.remove(people["dengji"])
    refused = client.post("/api/v1/petitions", body, content_type="application/json", **auth)
    assert refused.status_code == 403 and "权限" in refused.json()["error"]["message"]
