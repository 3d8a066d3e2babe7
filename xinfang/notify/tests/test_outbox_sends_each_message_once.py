"""queue() puts one row per message (twice with one key is once); deliver_due sends what
is due, records the result on the row, and never sends a row twice."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from xinfang.lib.errors import Invalid
from xinfang.notify import services
from xinfang.notify.kinds import Status
from xinfang.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db


def test_queuing_the_same_message_twice_queues_it_once(working_hours):
    first = services.queue("sms", "13800000001", kind="case_step", body="您的信访事项已受理", key="case-event:1:a")
    again = services.queue("sms", "13800000001", kind="case_step", body="您的信访事项已受理", key="case-event:1:a")
    assert first.pk == again.pk
    assert OutboundMessage.objects.count() == 1


def test_the_phone_number_is_stored_encrypted_and_shown_masked(working_hours):
    message = services.queue("sms", "13800000001", kind="case_step", body="x")
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT \"to\" FROM notify_outboundmessage WHERE id = %s", [message.pk])
        stored = cursor.fetchone()[0]
    assert "13800000001" not in stored
    assert message.to_masked == "138****0001"
    assert OutboundMessage.objects.get().to == "13800000001"


@pytest.mark.parametrize("channel,to,body,field", [
    ("sms", "", "x", "to"),
    ("email", "not-an-address", "x", "to"),
    ("sms", "13800000001", "", "body"),
    ("fax", "123", "x", "channel"),
])
def test_a_message_that_cannot_be_sent_is_refused_and_nothing_queued(working_hours, channel, to, body, field):
    with pytest.raises(Invalid) as refused:
        services.queue(channel, to, kind="case_step", body=body)
    assert field in refused.value.fields
    assert " / " in refused.value.message
    assert OutboundMessage.objects.count() == 0


def test_a_due_sms_and_email_are_sent_and_marked_sent_once(working_hours):
    sms = services.queue("sms", "13800000001", kind="case_step", body="您的信访事项已受理")
    email = services.queue("email", "li@example.org", kind="assigned", subject="新的待办", body="请签收")
    sweep = services.deliver_due()
    assert sweep.sent == 2
    sms.refresh_from_db(), email.refresh_from_db()
    assert (sms.status, sms.attempts, sms.provider_id.startswith("log-")) == (Status.SENT, 1, True)
    assert (email.status, email.attempts) == (Status.SENT, 1)
    assert [m.subject for m in mail.outbox] == ["新的待办"]
    assert services.deliver_due().sent == 0
    assert len(mail.outbox) == 1


def test_a_message_not_yet_due_waits(working_hours):
    later = timezone.now() + datetime.timedelta(hours=1)
    message = services.queue("email", "li@example.org", kind="assigned", body="请签收", not_before=later)
    assert services.deliver_due().sent == 0
    working_hours.shift(datetime.timedelta(hours=1))
    assert services.deliver_due().sent == 1
    message.refresh_from_db()
    assert message.status == Status.SENT
