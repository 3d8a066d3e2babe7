"""A second factor (TOTP) for staff: required for the roles in OTP_REQUIRED_ROLES, and
for anyone who enrolled one. Pages stay closed until the code is verified."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinfang.audit.models import AuditEntry
from xinfang.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def code(device):
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{token:0{device.digits}d}"


def log_in(client, username):
    response = client.post(reverse("web:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def admins_need_otp(settings):
    settings.OTP_REQUIRED_ROLES = ["admin"]


@pytest.fixture
def enrolled(people):
    """周管理 (admin) has a confirmed authenticator."""
    return TOTPDevice.objects.create(user=people["guanli"], name="手机验证器", confirmed=True)


def test_no_role_needs_a_second_factor_by_default(client, people):
    log_in(client, "guanli")
    assert client.get(reverse("web:my_work")).status_code == 200


def test_a_required_role_without_a_device_is_sent_to_enrol_first(client, people, admins_need_otp):
    log_in(client, "guanli")
    for url in [reverse("web:my_work"), reverse("web:search"), "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("org:otp_setup")), url
    # Other roles are not affected.
    other = log_in(Client(), "dengji")
    assert other.get(reverse("web:my_work")).status_code == 200


def test_the_enrolment_page_shows_a_local_qr_code_and_the_key(client, people, admins_need_otp):
    log_in(client, "guanli")
    page = client.get(reverse("org:otp_setup")).content.decode()
    assert "<svg" in page and "otpauth" not in page.split("<svg", 1)[0]
    assert "http://" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org", "")
    device = TOTPDevice.objects.get(user=people["guanli"], confirmed=False)
    assert "密钥" in page and device.config_url.startswith("otpauth://totp/")


def test_enrolling_with_a_right_code_opens_the_pages(client, people, admins_need_otp):
    log_in(client, "guanli")
    client.get(reverse("org:otp_setup"))
    device = TOTPDevice.objects.get(user=people["guanli"])

    response = client.post(reverse("org:otp_setup"), {"token": code(device), "next": "/work/"})

    assert response.status_code == 302 and response["Location"] == "/work/"
    assert client.get(reverse("web:my_work")).status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert AuditEntry.objects.filter(action="user.otp_enrol", actor=people["guanli"]).exists()


def test_enrolling_with_a_wrong_code_is_refused(client, people, admins_need_otp):
    log_in(client, "guanli")
    client.get(reverse("org:otp_setup"))
    response = client.post(reverse("org:otp_setup"), {"token": "000000"})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get(reverse("web:my_work")).status_code == 302


def test_an_enrolled_user_must_verify_a_code_after_the_password(client, people, enrolled, time_machine):
    time_machine.move_to("2026-03-02 09:00:05 +0800", tick=False)
    log_in(client, "guanli")
    response = client.get(reverse("web:my_work"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("org:otp_verify"))

    wrong = client.post(reverse("org:otp_verify"), {"token": "123456"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    assert client.get(reverse("web:my_work")).status_code == 302

    time_machine.shift(2)  # past the throttle after a failure
    right = client.post(reverse("org:otp_verify") + "?next=/cases/", {"token": code(enrolled), "next": "/cases/"})
    assert right.status_code == 302 and right["Location"] == "/cases/"
    assert client.get(reverse("web:my_work")).status_code == 200
    actions = list(AuditEntry.objects.filter(actor=people["guanli"], action__startswith="auth.otp").values_list("action", flat=True))
    assert sorted(actions) == ["auth.otp_failed", "auth.otp_verify"]


def test_a_password_alone_cannot_enrol_a_new_device_over_an_existing_one(client, people, enrolled):
    log_in(client, "guanli")
    response = client.get(reverse("org:otp_setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("org:otp_verify"))


def test_the_api_asks_an_enrolled_user_for_the_code(client, people, enrolled, time_machine):
    time_machine.move_to("2026-03-02 09:00:05 +0800", tick=False)

    def ask(**extra):
        body = {"username": "guanli", "password": PASSWORD, **extra}
        return client.post("/api/v1/auth/token", json.dumps(body), content_type="application/json")

    missing = ask()
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "otp_required"
    assert ask(otp="000000").json()["error"]["code"] == "otp_invalid"
    assert ask(otp=code(enrolled)).json()["error"]["code"] == "otp_invalid"  # throttled right after a failure
    time_machine.shift(2)
    assert ask(otp=code(enrolled)).status_code == 201


def test_the_api_refuses_a_required_role_that_has_not_enrolled(client, people, admins_need_otp):
    response = client.post("/api/v1/auth/token", json.dumps({"username": "guanli", "password": PASSWORD}), content_type="application/json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "otp_enrolment_required"


def test_logging_in_again_asks_for_a_code_enrolled_meanwhile_elsewhere(client, people):
    client.force_login(people["guanli"])
    assert client.get(reverse("web:my_work")).status_code == 200  # no second factor: remembered in the session
    TOTPDevice.objects.create(user=people["guanli"], name="手机验证器", confirmed=True)

    client.force_login(people["guanli"])  # the same user again keeps the session's data

    response = client.get(reverse("web:my_work"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("org:otp_verify"))
