"""The account-security and audit screens in Debian's Chromium: second-factor enrolment
and verification, the first-login password change, the lockout page, the security page
and the auditor's screen. Screenshots go to var/screens/ for a person to look at."""


import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinfang.conftest import BROWSER_TEST, PASSWORD, SCREENS
from xinfang.intake.services import PetitionIn, register
from xinfang.org.choices import Role
from xinfang.org.models import User
from xinfang.org.sample import build_people, build_units, make_user

pytestmark = BROWSER_TEST


@pytest.fixture
def office(transactional_db):
    units = build_units()
    people = build_people(units, password=PASSWORD)
    people["shenji"] = make_user("shenji", units["bureau"], [Role.AUDITOR], password=PASSWORD, display_name="冯审计")
    register(actor=people["dengji"], data=PetitionIn(
        channel="letter", receiving_unit=units["bureau"], kind="grievance", title="征地补偿款未发放", content="补偿款至今未发放。",
        petitioners=[{"name": "刘某", "id_number": "11010519491231002X", "phone": "13800000001"}]))
    return people


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page.set_default_timeout(15_000)
    return page


def shot(page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def current_code(device):
    device.refresh_from_db()
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{token:0{device.digits}d}"


def log_in(page, url, username, password=PASSWORD):
    page.goto(url + reverse("web:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_second_factor_password_change_lockout_and_audit_screens(live_server, office, page, settings):
    from playwright.sync_api import expect

    url = live_server.url
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # 1. An administrator whose role requires a second factor enrols one at first login.
    settings.OTP_REQUIRED_ROLES = ["admin"]
    log_in(page, url, "guanli")
    expect(page.get_by_role("heading", name="启用双因素认证")).to_be_visible()
    expect(page.get_by_test_id("otp-qr").locator("svg")).to_be_visible()
    shot(page, "sec-01-otp-setup")
    page.fill("#id_token", "000000")
    page.click("button:has-text('验证并启用')")
    expect(page.locator(".invalid-feedback")).to_contain_text("验证码不正确")
    shot(page, "sec-02-otp-setup-wrong")
    page.wait_for_timeout(1100)  # a failure throttles the next try for a second
    device = TOTPDevice.objects.get(user=office["guanli"])
    page.fill("#id_token", current_code(device))
    page.click("button:has-text('验证并启用')")
    expect(page.get_by_role("heading", name="我的工作")).to_be_visible()
    page.click("button:has-text('退出')")

    # 2. Next login: password, then the code.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the same 30-second code may be typed again in this test
    log_in(page, url, "guanli")
    expect(page.get_by_role("heading", name="第二步：输入动态验证码")).to_be_visible()
    shot(page, "sec-03-otp-verify")
    page.fill("#id_token", current_code(device))
    page.click("button:has-text('验证')")
    expect(page.get_by_role("heading", name="我的工作")).to_be_visible()

    # 3. The account-security page.
    page.click("[title=账号安全]")
    expect(page.get_by_role("heading", name="账号安全")).to_be_visible()
    expect(page.get_by_test_id("otp-status")).to_have_text("已启用")
    shot(page, "sec-04-security-page")
    page.click("[data-testid=logout-everywhere]")
    expect(page.locator(".alert-success")).to_contain_text("已退出所有设备上的登录")
    shot(page, "sec-05-after-logout-everywhere")

    # 4. An account the administrator created must choose its own password first.
    User.objects.filter(username="chengban").update(must_change_password=True)
    log_in(page, url, "chengban")
    expect(page.get_by_test_id("forced-change")).to_be_visible()
    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", "12345678901")
    page.fill("#id_new_password2", "12345678901")
    page.click("button:has-text('保存新密码')")
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    shot(page, "sec-06-password-change-errors")
    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", "Qingshan-river-2026")
    page.fill("#id_new_password2", "Qingshan-river-2026")
    page.click("button:has-text('保存新密码')")
    expect(page.get_by_role("heading", name="我的工作")).to_be_visible()
    expect(page.locator(".alert-success")).to_contain_text("密码已修改")
    page.click("button:has-text('退出')")

    # 5. Five wrong passwords lock the account.
    for _ in range(5):
        log_in(page, url, "tongji", "wrong-password")
    expect(page.get_by_test_id("lockout-message")).to_contain_text("账号已暂时锁定")
    shot(page, "sec-07-locked-out")

    # 6. The auditor's screen, then an export.
    log_in(page, url, "shenji")
    page.click("nav >> text=审计")
    expect(page.get_by_role("heading", name="审计记录")).to_be_visible()
    shot(page, "audit-01-index")
    page.select_option("#id_action", "auth.login_failed")
    page.click("button:has-text('查询')")
    expect(page.locator("[data-testid=audit-rows] tbody tr")).to_have_count(5)
    shot(page, "audit-02-filtered")
    with page.expect_download() as download:
        page.click("[data-export=xlsx]")
    assert download.value.suggested_filename.endswith(".xlsx")

    # 7. An idle session ends with a message on the login page.
    settings.SESSION_IDLE_TIMEOUT = 1
    page.wait_for_timeout(2100)
    page.goto(url + reverse("web:search"))
    expect(page.locator(".alert-info")).to_contain_text("未操作")
    shot(page, "sec-08-idle-logout")
    assert errors == []
