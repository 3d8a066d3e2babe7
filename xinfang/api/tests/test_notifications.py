"""GET /notifications, GET /notifications/unread, POST /notifications/read and /read-all: a user's own
notifications only; another's id or an empty request is refused and nothing is marked."""

import pytest

from xinfang.notify import services
from xinfang.notify.models import Notification

from .conftest import error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(people):
    mine = [services.inform([people["chengban"]], kind="assigned", title=f"新的待办：第{i}件", link=f"/cases/X{i}/", key=f"k{i}")[0]
            for i in range(3)]
    other = services.inform([people["fuzeren"]], kind="assigned", title="别人的", key="o")[0]
    return mine, other


def test_the_list_and_the_unread_count(api_as, notes):
    api = api_as("chengban")
    body = api.get("/notifications").json()
    assert (body["count"], body["unread"], body["page"], body["pages"]) == (3, 3, 1, 1)
    first = body["items"][0]
    assert (first["title"], first["kind"], first["kind_label"], first["link"], first["read_at"]) == (
        "新的待办：第2件", "assigned", "新的待办事项", "/cases/X2/", None)
    assert api.get("/notifications/unread").json() == {"unread": 3}


def test_mark_some_then_all_read(api_as, notes):
    api = api_as("chengban")
    mine, _ = notes
    response = api.post("/notifications/read", {"ids": [mine[0].pk]})
    assert response.status_code == 200 and response.json() == {"marked": 1, "unread": 2}
    assert api.get("/notifications", {"unread": "true"}).json()["count"] == 2
    assert api.post("/notifications/read-all").json() == {"marked": 2, "unread": 0}


def test_another_users_notification_is_not_found_and_nothing_is_marked(api_as, notes):
    mine, other = notes
    response = api_as("chengban").post("/notifications/read", {"ids": [mine[0].pk, other.pk]})
    assert response.status_code == 404
    assert "找不到这些通知" in error_of(response)["message"]
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


@pytest.mark.parametrize("body", [{}, {"ids": []}, {"ids": [1], "all": True}, {"ids": ["x"]}, {"ids": [0]}, {"ids": [2**70]}])
def test_a_request_that_says_nothing_clear_is_refused(api_as, notes, body):
    response = api_as("chengban").post("/notifications/read", body)
    assert response.status_code == 422
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


def test_without_a_token_401(api_as):
    assert api_as().get("/notifications").status_code == 401
