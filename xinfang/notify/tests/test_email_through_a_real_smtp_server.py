"""Email goes through Django's SMTP backend: here to a local SMTP sink (aiosmtpd)
started by the test, which receives the message with its subject and body in Chinese."""

import email
import email.policy

import pytest
from aiosmtpd.controller import Controller

from xinfang.notify import services
from xinfang.notify.kinds import Status

pytestmark = pytest.mark.django_db


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=8125)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 8125, 5
    settings.DEFAULT_FROM_EMAIL = "xinfang@county.example"
    yield sink
    controller.stop()


def test_the_email_arrives_with_its_subject_and_body(smtp, working_hours):
    message = services.queue("email", "li@example.org", kind="assigned", subject="新的待办：征地补偿款未发放",
                             body="请于3日内签收。\n/cases/X1/")
    assert services.deliver_due().sent == 1
    (recipients, received), = smtp.messages
    assert recipients == ["li@example.org"]
    assert received["Subject"] == "新的待办：征地补偿款未发放"
    assert received["From"] == "xinfang@county.example"
    assert "请于3日内签收。" in received.get_content()
    message.refresh_from_db()
    assert message.status == Status.SENT and message.provider_id == received["Message-ID"]


def test_a_mail_server_that_is_down_is_a_failure_recorded_and_retried(settings, working_hours):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 8126, 2  # nobody listens
    message = services.queue("email", "li@example.org", kind="assigned", subject="新的待办", body="请签收")
    sweep = services.deliver_due()
    assert (sweep.sent, sweep.failed) == (0, 1)
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
