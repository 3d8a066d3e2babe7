"""The staff pages: the bell in the navigation bar with the unread count, the centre
(mark one, mark all, follow the link), the email preferences, and the administrator's
page of failed messages (refused to everyone else)."""

import pytest

from xinfang.notify import services
from xinfang.notify.kinds import Status
from xinfang.notify.models import Notification, OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_unread(people):
    return [services.inform([people["chengban"]], kind="assigned", title=f"新的待办：第{i}件", link="/cases/", key=f"k{i}")[0]
            for i in range(2)]


def test_the_bell_shows_the_unread_count_on_every_page(login, two_unread):
    page = login("chengban").get("/work/").content.decode()
    assert 'data-testid="notify-bell"' in page and 'data-testid="unread-count">2<' in page
    assert 'hx-trigger="every 60s"' in page
    partial = login("chengban").get("/notify/bell/").content.decode()
    assert partial.strip().startswith("<a") and ">2<" in partial


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(login, two_unread):
    client = login("chengban")
    response = client.get(f"/notify/{two_unread[0].pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert services.unread_count(two_unread[0].recipient) == 1


def test_someone_elses_notification_is_not_found(login, two_unread):
    assert login("fuzeren").get(f"/notify/{two_unread[0].pk}/open/").status_code == 404
    assert login("fuzeren").post("/notify/read/", {"ids": [two_unread[0].pk]}).status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_mark_all_read(login, two_unread):
    client = login("chengban")
    assert "2 条未读" in client.get("/notify/").content.decode()
    client.post("/notify/read/", {"all": "1"})
    page = client.get("/notify/").content.decode()
    assert "0 条未读" in page and "已将2条通知标为已读" in page


def test_preferences_without_an_email_address_are_refused_in_chinese(login, people):
    client = login("chengban")
    page = client.post("/notify/preferences/", {"kinds": ["assigned"]}).content.decode()
    assert "您的账号没有电子邮箱地址" in page and "Your account" not in page
    assert services.email_kinds(people["chengban"]) == []


def test_preferences_are_saved(login, people):
    people["chengban"].email = "li@example.org"
    people["chengban"].save()
    client = login("chengban")
    client.post("/notify/preferences/", {"kinds": ["assigned", "due_soon"]})
    assert services.email_kinds(people["chengban"]) == ["assigned", "due_soon"]
    assert 'value="assigned" id="kind-assigned" checked' in client.get("/notify/preferences/").content.decode()


def test_the_failed_messages_are_the_administrators(login, working_hours):
    message = services.queue("sms", "13800000001", kind="case_step", body="您的信访事项已受理")
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.GIVEN_UP, attempts=5,
                                                          last_error="短信网关返回错误 500 / The SMS gateway answered 500.")
    assert login("chengban").get("/notify/outbox/").status_code == 403
    assert login("chengban").post(f"/notify/outbox/{message.pk}/retry/").status_code == 403
    page = login("guanli").get("/notify/outbox/").content.decode()
    assert "138****0001" in page and "13800000001" not in page and "短信网关返回错误 500" in page
    login("guanli").post(f"/notify/outbox/{message.pk}/retry/")
    message.refresh_from_db()
    assert message.status == Status.QUEUED
