"""The one way the system sends an SMS: an adapter named by settings.SMS_BACKEND with
`send(to, body) -> provider id`, raising SMSError (a message "中文 / English") when the
message did not go. The outbox (services.deliver_due) calls it for every queued SMS; the
portal calls `send_now` for a query code the petitioner is waiting for (docs/notify.md).

- LoggingSMSBackend (default): writes each message to the `xinfang.sms` log, with the
  number and any query code masked; sends nothing.
- HttpSMSBackend: posts JSON {"to", "text", "ref"} to SMS_HTTP_URL with a bearer token;
  a timeout, a refused connection or any non-2xx answer is a failure.
- LocmemBackend: keeps messages in a list, for the tests of the portal's direct sends.
"""

import json
import logging
import re
import socket
import urllib.error
import urllib.request
import uuid

from django.conf import settings
from django.utils.module_loading import import_string

from xinfang.lib.masking import mask_phone

logger = logging.getLogger("xinfang.sms")
CODE = re.compile(r"XF(-[0-9A-Z]{4}){4}")


class SMSError(Exception):
    """The message was not sent; str() is "中文 / English"."""


def masked_text(text):
    """The text with any query code cut to its first group: no log holds a code."""
    return CODE.sub(lambda m: m.group(0)[:7] + "-****-****-****", text)


class LoggingSMSBackend:
    """Writes the message to the log instead of sending it (development, demo)."""

    def send(self, to, body, *, ref=""):
        logger.info("SMS to %s: %s", mask_phone(to), masked_text(body))
        return f"log-{uuid.uuid4().hex[:12]}"


class LocmemBackend:
    """Keeps (phone, text) pairs in `LocmemBackend.outbox`: tests only."""

    outbox = []

    def send(self, to, body, *, ref=""):
        LocmemBackend.outbox.append((to, body))
        return f"locmem-{len(LocmemBackend.outbox)}"


class HttpSMSBackend:
    """A gateway reached over HTTP(S): settings SMS_HTTP_URL, SMS_HTTP_TOKEN and
    SMS_HTTP_TIMEOUT (seconds). `ref` (the outbox row's key) goes along, for a gateway
    that drops a second message with the same reference."""

    def __init__(self, url=None, token=None, timeout=None):
        self.url = url or settings.SMS_HTTP_URL
        self.token = token if token is not None else settings.SMS_HTTP_TOKEN
        self.timeout = float(timeout or settings.SMS_HTTP_TIMEOUT)
        if not self.url:
            raise SMSError("未配置短信网关地址（SMS_HTTP_URL）/ SMS_HTTP_URL is not set.")

    def send(self, to, body, *, ref=""):
        data = json.dumps({"to": to, "text": body, "ref": ref}, ensure_ascii=False).encode()
        request = urllib.request.Request(self.url, data=data, method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8",
                                                  **({"Authorization": f"Bearer {self.token}"} if self.token else {})})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # nosec B310: the configured gateway
                answer = response.read(4096)
        except urllib.error.HTTPError as error:
            raise SMSError(f"短信网关返回错误 {error.code} / The SMS gateway answered {error.code}.") from None
        except (TimeoutError, socket.timeout):
            raise SMSError(f"短信网关超时（{self.timeout:g}秒）/ The SMS gateway did not answer within {self.timeout:g} s.") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise SMSError(f"短信网关超时（{self.timeout:g}秒）/ The SMS gateway did not answer within {self.timeout:g} s.") from None
            raise SMSError(f"无法连接短信网关 / Cannot reach the SMS gateway: {reason}") from None
        try:
            return str(json.loads(answer or b"{}").get("id", ""))[:120]
        except (ValueError, AttributeError):
            return ""


def backend():
    return import_string(settings.SMS_BACKEND)()


def send(to, body, *, ref=""):
    """Send one SMS through the configured adapter: the provider's id, or SMSError."""
    try:
        return backend().send(to, body, ref=ref)
    except SMSError:
        raise
    except Exception as error:  # an adapter's own fault is a failed message, never a crash of the sweep
        raise SMSError(f"短信发送失败 / The SMS adapter failed: {type(error).__name__}: {error}") from None


def send_now(to, body):
    """Send at once, outside the outbox (the portal's query code, which must not rest in
    a table): True when the adapter took it, False (logged, number masked) otherwise."""
    try:
        send(to, body)
    except SMSError as error:
        logger.warning("SMS to %s failed: %s", mask_phone(to), error)
        return False
    return True
