"""inform(): one notification per user and event, an email to those who chose the kind by
email and have an address; unread count, mark read (only one's own), preferences."""

import logging

import pytest

from xinfang.lib.errors import Invalid, NotFound
from xinfang.notify import services
from xinfang.notify.models import Notification, OutboundMessage

pytestmark = pytest.mark.django_db


def test_the_same_event_notifies_each_user_once(people, working_hours):
    users = [people["chengban"], people["fuzeren"], people["chengban"]]
    services.inform(users, kind="assigned", title="新的待办：X2026-1", link="/cases/X2026-1/", key="case:1:assign")
    services.inform(users, kind="assigned", title="新的待办：X2026-1", link="/cases/X2026-1/", key="case:1:assign")
    assert Notification.objects.count() == 2
    assert services.unread_count(people["chengban"]) == 1
    assert OutboundMessage.objects.count() == 0  # nobody chose email


def test_who_chose_the_kind_by_email_gets_an_email_too(people, working_hours, settings):
    settings.SITE_URL = "https://xf.example.gov.cn"
    li = people["chengban"]
    li.email = "li@example.org"
    li.save()
    services.set_email_kinds(li, ["assigned"])
    services.inform([li], kind="assigned", title="新的待办", body="请签收", link="/cases/X1/", key="e1")
    services.inform([li], kind="due_soon", title="期限临近", key="e2")
    message, = OutboundMessage.objects.all()
    assert (message.channel, message.subject, message.user) == ("email", "新的待办", li)
    assert message.body == "请签收\n\nhttps://xf.example.gov.cn/cases/X1/"


def test_a_user_with_no_address_gets_the_notification_and_no_error(people, working_hours, caplog):
    li = people["chengban"]
    li.email = "li@example.org"
    li.save()
    services.set_email_kinds(li, ["assigned"])
    li.email = ""
    li.save()
    with caplog.at_level(logging.INFO, logger="xinfang.notify.services"):
        services.inform([li], kind="assigned", title="新的待办", key="e1")
    assert Notification.objects.count() == 1 and OutboundMessage.objects.count() == 0
    assert "no email address" in caplog.text


def test_choosing_email_without_an_address_is_refused_in_chinese_and_english(people):
    with pytest.raises(Invalid) as refused:
        services.set_email_kinds(people["chengban"], ["assigned"])
    assert refused.value.message.startswith("您的账号没有电子邮箱地址")
    assert services.email_kinds(people["chengban"]) == []


def test_an_unknown_kind_is_refused(people):
    with pytest.raises(Invalid):
        services.inform([people["chengban"]], kind="gossip", title="x")
    with pytest.raises(Invalid):
        services.set_email_kinds(people["chengban"], ["case_step"])
    assert Notification.objects.count() == 0


def test_mark_read_marks_only_ones_own(people, working_hours):
    mine = services.inform([people["chengban"]], kind="assigned", title="a", key="a")[0]
    other = services.inform([people["fuzeren"]], kind="assigned", title="b", key="b")[0]
    with pytest.raises(NotFound):
        services.mark_read(people["chengban"], [mine.pk, other.pk])
    assert services.unread_count(people["chengban"]) == 1  # nothing marked
    assert services.mark_read(people["chengban"], [mine.pk]) == 1
    assert services.unread_count(people["chengban"]) == 0
    assert services.unread_count(people["fuzeren"]) == 1


def test_mark_all_read(people, working_hours):
    for i in range(3):
        services.inform([people["chengban"]], kind="assigned", title=f"n{i}", key=f"k{i}")
    assert services.mark_read(people["chengban"], "all") == 3
    assert services.unread_count(people["chengban"]) == 0
    page = services.notifications_for(people["chengban"], 1)
    assert [n.title for n in page] == ["n2", "n1", "n0"]


def test_a_link_off_the_site_is_refused(people):
    with pytest.raises(Invalid):
        services.inform([people["chengban"]], kind="assigned", title="x", link="https://evil.example/")
    assert Notification.objects.count() == 0
