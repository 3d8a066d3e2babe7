"""The overdue list in Debian's Chromium, as a township clerk (郑承办, 城关镇): one click
from 我的工作, the late matters with days and level, the reminders received, and the
催办单 downloaded. Screenshot: var/screens/supervision-overdue.png."""

import datetime
import io

import docx
import pytest
from django.utils import timezone

from xinfang.cases import obligations
from xinfang.cases.models import Case, Obligation
from xinfang.conftest import BROWSER_TEST, PASSWORD, SCREENS
from xinfang.intake.services import PetitionIn, register
from xinfang.org.sample import build_people, build_units
from xinfang.supervision import sweeps

pytestmark = BROWSER_TEST
D = datetime.timedelta


@pytest.fixture
def swept(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    units = build_units()
    people = build_people(units, password=PASSWORD)
    today = timezone.localdate()
    owed = obligations.open_obligation(kind="supervision", owner_unit=units["chengguan"], creditor_unit=units["bureau"], due_date=today,
                                       title="督办：东街排水管网改造进度", actor=people["ducha"], responsible=people["cg_chengban"])
    Obligation.objects.filter(pk=owed.pk).update(due_date=today - D(days=8))
    _petition, case = register(actor=people["dengji"], data=PetitionIn(
        channel="letter", receiving_unit=units["bureau"], title="西街菜市场噪音扰民", content="西街菜市场凌晨卸货噪音大，影响休息。",
        kind="grievance", confirm_late=True, petitioners=[{"name": "刘某", "id_number": "11010519491231002X", "phone": "13800000001"}]))
    Case.objects.filter(pk=case.pk).update(current_unit=units["chengguan"], current_unit_path=units["chengguan"].path,
                                           due_date=today - D(days=2))
    sweeps.run()
    return people


def test_a_township_clerk_opens_the_overdue_list_from_my_work_and_downloads_the_reminder(live_server, swept, staff_page):
    from playwright.sync_api import expect

    page, errors = staff_page("cg_chengban")
    page.screenshot(path=str(SCREENS / "supervision-my-work.png"), clip={"x": 0, "y": 0, "width": 1366, "height": 260})
    page.get_by_test_id("overdue-link").click()
    expect(page.get_by_role("heading", name="逾期未办")).to_be_visible()
    expect(page.get_by_test_id("overdue-row")).to_have_count(2)
    expect(page.get_by_test_id("reminder-row")).to_have_count(2)
    expect(page.get_by_test_id("overdue-table")).to_contain_text("督办：东街排水管网改造进度")
    expect(page.get_by_test_id("overdue-table")).to_contain_text("8天")
    expect(page.get_by_test_id("overdue-table")).to_contain_text("一般督办")
    expect(page.get_by_test_id("unit-filter")).to_have_count(0)
    page.screenshot(path=str(SCREENS / "supervision-overdue.png"), full_page=True)
    with page.expect_download() as info:
        page.locator("[data-testid=reminder-row][data-kind=escalated] [data-testid=reminder-document]").click()
    path = SCREENS / "supervision-reminder-form.docx"
    info.value.save_as(str(path))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(open(path, "rb").read())).paragraphs)
    assert "信访事项催办单" in text and "督办：东街排水管网改造进度" in text and "已逾期8天" in text
    assert errors == []
