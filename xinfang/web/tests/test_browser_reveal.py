"""In Debian's Chromium: the case page shows a petitioner masked, and 显示完整信息
replaces the row with the full values (htmx POST with the CSRF token). Screenshots go
to var/screens/ for a person to look at."""

import importlib
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from xinfang.audit.models import AuditEntry
from xinfang.conftest import CHROMIUM, PASSWORD
from xinfang.intake.services import PetitionIn, register
from xinfang.org.sample import build_people, build_units

SCREENS = Path(settings.BASE_DIR) / "var" / "screens"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"Debian chromium is not installed at {CHROMIUM}"),
]


def seed_reference_data():
    importlib.import_module("xinfang.org.migrations.0002_roles").create_roles(apps, None)
    importlib.import_module("xinfang.intake.migrations.0003_default_categories").seed(apps, None)


@pytest.fixture(scope="module", autouse=True)
def reseed_after_flush(django_db_setup, django_db_blocker):
    """The transactional test flushes the migrations' rows too; put them back after it."""
    yield
    with django_db_blocker.unblock():
        seed_reference_data()


def test_a_registrar_reveals_a_masked_petitioner_on_the_case_page(live_server, transactional_db, browser):
    from playwright.sync_api import expect

    seed_reference_data()
    people = build_people(build_units(), password=PASSWORD)
    _, case = register(actor=people["dengji"], data=PetitionIn(
        channel="letter", receiving_unit="341122-XFJ", kind="grievance", title="征地补偿款未发放", content="补偿款至今未发放。",
        petitioners=[{"name": "刘某", "id_number": "11010519491231002X", "phone": "13800000001", "address": "安宁县城关镇东街1号"}]))
    SCREENS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(live_server.url + "/")
    page.fill("#id_username", "dengji")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="我的工作")).to_be_visible()
    page.goto(f"{live_server.url}/cases/{case.number}/")
    row = page.get_by_test_id("petitioner")
    expect(row).to_contain_text("1101**********002X")
    expect(row).to_contain_text("138****0001")
    expect(row).to_contain_text("安宁县城关镇****")
    page.screenshot(path=str(SCREENS / "reveal-1-masked.png"), full_page=True)

    page.get_by_test_id("reveal").click()

    expect(row).to_contain_text("11010519491231002X")
    expect(row).to_contain_text("安宁县城关镇东街1号")
    expect(row).to_contain_text("本次查看已留痕")
    page.screenshot(path=str(SCREENS / "reveal-2-full.png"), full_page=True)
    assert AuditEntry.objects.filter(action="petitioner.reveal", actor=people["dengji"]).count() == 1
    assert errors == []
