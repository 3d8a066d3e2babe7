"""Failed and given-up messages are the system administrator's (系统管理员) to see and send
again; the retry is recorded in the audit record; anyone else is refused."""

import pytest

from xinfang.audit.models import AuditEntry
from xinfang.lib.errors import NotAllowed, WrongState
from xinfang.notify import services
from xinfang.notify.kinds import Status
from xinfang.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def given_up(working_hours):
    message = services.queue("sms", "13800000001", kind="case_step", body="x")
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.GIVEN_UP, attempts=3, last_error="短信网关返回错误 500 / …")
    return message


def test_the_administrator_sends_it_again(people, given_up):
    assert [m.pk for m in services.troubled_messages(people["guanli"])] == [given_up.pk]
    services.retry(message_id=given_up.pk, actor=people["guanli"])
    assert services.deliver_due().sent == 1
    given_up.refresh_from_db()
    assert (given_up.status, given_up.attempts) == (Status.SENT, 1)
    entry = AuditEntry.objects.get(action="outbox.retry")
    assert entry.actor == people["guanli"] and entry.detail["to"] == "138****0001"


def test_no_one_else_may(people, given_up):
    for name in ("dengji", "fuzeren", "shenji"):
        with pytest.raises(NotAllowed):
            services.retry(message_id=given_up.pk, actor=people[name])
        with pytest.raises(NotAllowed):
            services.troubled_messages(people[name])
    given_up.refresh_from_db()
    assert given_up.status == Status.GIVEN_UP and not AuditEntry.objects.filter(action="outbox.retry").exists()


def test_a_sent_message_is_not_sent_again(people, working_hours):
    message = services.queue("sms", "13800000001", kind="case_step", body="x")
    services.deliver_due()
    with pytest.raises(WrongState):
        services.retry(message_id=message.pk, actor=people["guanli"])
    message.refresh_from_db()
    assert message.status == Status.SENT
