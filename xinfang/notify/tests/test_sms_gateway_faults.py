"""The HTTP SMS gateway adapter against a local server: a 500 or a timeout is recorded on
the row, tried again after 1, 2 … minutes, given up after NOTIFY["max_attempts"] tries and
shown to the administrators; the sweep goes on with the other messages."""

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from xinfang.notify import services, sms
from xinfang.notify.kinds import Kind, Status
from xinfang.notify.models import Notification, OutboundMessage

pytestmark = pytest.mark.django_db


class Gateway(BaseHTTPRequestHandler):
    behaviour = "ok"
    received = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Gateway.received.append((self.headers.get("Authorization"), body))
        if body["text"].startswith("慢") or Gateway.behaviour == "slow":
            threading.Event().wait(1.5)
        code = 500 if Gateway.behaviour == "500" else 200
        try:
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"id": f"gw-{len(Gateway.received)}"}).encode())
        except BrokenPipeError:  # the adapter gave up waiting
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    Gateway.behaviour, Gateway.received = "ok", []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SMS_BACKEND = "xinfang.notify.sms.HttpSMSBackend"
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_HTTP_TOKEN, settings.SMS_HTTP_TIMEOUT = "secret-token", 0.5
    yield Gateway
    server.shutdown()
    server.server_close()


def test_the_gateway_gets_the_number_the_text_and_the_token(gateway, working_hours):
    message = services.queue("sms", "13800000001", kind="case_step", body="您的信访事项已受理", key="k1")
    assert services.deliver_due().sent == 1
    assert gateway.received == [("Bearer secret-token", {"to": "13800000001", "text": "您的信访事项已受理", "ref": "k1"})]
    message.refresh_from_db()
    assert (message.status, message.provider_id) == (Status.SENT, "gw-1")


def test_a_500_is_retried_with_back_off_then_given_up_and_shown_to_the_administrator(gateway, working_hours, people):
    gateway.behaviour = "500"
    message = services.queue("sms", "13800000001", kind="case_step", body="您的信访事项已受理")
    services.deliver_due()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 1)
    assert message.last_error == "短信网关返回错误 500 / The SMS gateway answered 500."
    first_retry = message.next_attempt_at
    assert services.deliver_due().sent == 0 and len(gateway.received) == 1  # not before its time

    working_hours.move_to(first_retry)
    services.deliver_due()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 2)
    assert message.next_attempt_at - first_retry == datetime.timedelta(minutes=2)  # 1 min, then 2

    working_hours.move_to(message.next_attempt_at)
    sweep = services.deliver_due()
    message.refresh_from_db()
    assert (sweep.given_up, message.status, message.attempts) == (1, Status.GIVEN_UP, 3)
    assert len(gateway.received) == 3
    alert, = Notification.objects.filter(kind=Kind.OUTBOX_FAILED)
    assert alert.recipient == people["guanli"]
    assert "138****0001" in alert.title and "13800000001" not in alert.title + alert.body

    working_hours.shift(datetime.timedelta(days=1))
    assert services.deliver_due().sent == 0 and len(gateway.received) == 3  # given up stays given up


def test_a_timeout_is_recorded_and_the_sweep_goes_on(gateway, working_hours):
    slow = services.queue("sms", "13800000001", kind="case_step", body="慢：您的信访事项已受理")
    quick = services.queue("sms", "13900000002", kind="case_step", body="您的信访事项已转送")
    sweep = services.deliver_due()
    assert (sweep.sent, sweep.failed) == (1, 1)
    slow.refresh_from_db(), quick.refresh_from_db()
    assert slow.status == Status.FAILED and slow.last_error.startswith("短信网关超时")
    assert quick.status == Status.SENT


def test_an_unreachable_gateway_is_a_clear_failure(settings, working_hours):
    settings.SMS_BACKEND = "xinfang.notify.sms.HttpSMSBackend"
    settings.SMS_HTTP_URL, settings.SMS_HTTP_TIMEOUT = "http://127.0.0.1:8127/send", 1
    message = services.queue("sms", "13800000001", kind="case_step", body="x")
    services.deliver_due()
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.last_error.startswith("无法连接短信网关 / Cannot reach")


def test_no_gateway_address_is_a_clear_error(settings):
    settings.SMS_HTTP_URL = ""
    with pytest.raises(sms.SMSError, match="SMS_HTTP_URL"):
        sms.HttpSMSBackend()
    assert OutboundMessage.objects.count() == 0
