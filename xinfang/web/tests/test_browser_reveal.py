"""In Debian's Chromium: the case page shows a petitioner masked, and 显示完整信息
replaces the row with the full values (htmx POST with the CSRF token). Screenshots go
to var/screens/ for a person to look at."""

from xinfang.audit.models import AuditEntry
from xinfang.conftest import BROWSER_TEST, PASSWORD, SCREENS
from xinfang.intake.services import PetitionIn, register
from xinfang.org.sample import build_people, build_units

pytestmark = BROWSER_TEST


def test_a_registrar_reveals_a_masked_petitioner_on_the_case_page(live_server, transactional_db, staff_page):
    from playwright.sync_api import expect

    people = build_people(build_units(), password=PASSWORD)
    _, case = register(actor=people["dengji"], data=PetitionIn(
        channel="letter", receiving_unit="341122-XFJ", kind="grievance", title="征地补偿款未发放", content="补偿款至今未发放。",
        petitioners=[{"name": "刘某", "id_number": "11010519491231002X", "phone": "13800000001", "address": "安宁县城关镇东街1号"}]))
    page, errors = staff_page("dengji")
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
