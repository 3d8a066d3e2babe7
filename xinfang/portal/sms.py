"""Outbound SMS through an adapter named by settings.SMS_BACKEND. The default writes to
the log (a deployment plugs in its gateway's class with the same `send`); tests use
`LocmemBackend`. A message that cannot be sent never undoes what was registered."""

import logging
import re

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("xinfang.sms")
CODE = re.compile(r"XF(-[0-9A-Z]{4}){4}")


class LogBackend:
    """Writes each message to the `xinfang.sms` log, with the phone number and any query
    code masked: a log is no place for a code that opens someone's case."""

    def send(self, phone, text):
        masked = CODE.sub(lambda m: m.group(0)[:7] + "-****-****-****", text)
        logger.info("SMS to %s: %s", phone[:3] + "****" + phone[-4:], masked)


class LocmemBackend:
    """Keeps messages in `LocmemBackend.outbox`, a list of (phone, text), for tests."""

    outbox = []

    def send(self, phone, text):
        LocmemBackend.outbox.append((phone, text))


def send(phone, text):
    """Send one message; returns True when the backend took it, False (logged) otherwise."""
    try:
        import_string(settings.SMS_BACKEND)().send(phone, text)
    except Exception:
        logger.exception("SMS to %s**** failed", phone[:3])
        return False
    return True
