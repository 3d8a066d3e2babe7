"""The portal's query-code SMS goes through the adapter named by SMS_BACKEND; the default only logs, with the
number and the code masked; no phone, no message."""

import logging

from xinfang.notify import sms
from xinfang.notify.sms import LocmemBackend


def test_the_log_backend_masks_the_phone_and_the_code(caplog):
    with caplog.at_level(logging.INFO, logger="xinfang.sms"):
        sms.LoggingSMSBackend().send("13800000001", "查询码XF-7K3M-Q9TD-2HXA-PW4E，请妥善保管")
    text = caplog.text
    assert "138****0001" in text and "XF-7K3M-****-****-****" in text and "Q9TD" not in text


def test_a_backend_that_fails_is_reported_as_not_sent(settings, caplog):
    settings.SMS_BACKEND = "xinfang.portal.tests.test_submit_online.BrokenGateway"
    assert sms.send_now("13800000001", "x") is False


def test_no_phone_means_no_message(submit_online, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit_online(kind="suggestion", phone="", id_number="")
    assert LocmemBackend.outbox == []
