"""In Debian's Chromium: 案件查询 shows 导出Excel / 导出CSV for the current filters (kept
when the filters change through htmx), the Excel file downloads with the listed cases,
and an export past the row limit is refused with a page saying to narrow the filters.
Screenshots go to var/screens/ for a person to look at."""

import io
from pathlib import Path

import openpyxl

from xinfang.audit.models import AuditEntry
from xinfang.conftest import BROWSER_TEST, PASSWORD, SCREENS
from xinfang.intake.services import PetitionIn, register
from xinfang.org.sample import build_people, build_units

pytestmark = BROWSER_TEST


def test_a_registrar_exports_the_filtered_case_list_to_excel(live_server, transactional_db, staff_page, settings):
    from playwright.sync_api import expect

    people = build_people(build_units(), password=PASSWORD)
    for title, kind, category in [("征地补偿款未发放", "grievance", "0101"), ("拖欠农民工工资", "grievance", "0301"),
                                  ("建议增设公交站", "suggestion", None)]:
        register(actor=people["dengji"], data=PetitionIn(
            channel="letter", receiving_unit="341122-XFJ", kind=kind, category=category, title=title, content=title + "。",
            petitioners=[{"name": "刘某", "id_number": "11010519491231002X", "phone": "13800000001", "address": "安宁县城关镇东街1号"}]))
    page, errors = staff_page("dengji", accept_downloads=True)
    page.goto(live_server.url + "/cases/")
    expect(page.get_by_test_id("export-bar")).to_contain_text("导出全部 3 件")

    # Choosing a filter redraws the list through htmx; the buttons follow it.
    page.select_option("#id_kind", "grievance")
    expect(page.get_by_test_id("export-bar")).to_contain_text("导出全部 2 件")
    expect(page.get_by_test_id("export-xlsx")).to_have_attribute("href", "/cases/export.xlsx?kind=grievance")
    expect(page.get_by_test_id("export-csv")).to_have_attribute("href", "/cases/export.csv?kind=grievance")
    page.screenshot(path=str(SCREENS / "export-1-search.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    path = download.value.path()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(path).read_bytes())).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("事项编号", "登记日期", "渠道")
    assert sorted(r[6] for r in rows[1:]) == ["征地补偿款未发放", "拖欠农民工工资"]
    assert "11010519491231002X" not in str(rows) and "13800000001" not in str(rows)
    assert AuditEntry.objects.filter(action="case.export", actor=people["dengji"], detail__format="xlsx").count() == 1

    # Past the limit: the page says so, and the address itself is refused.
    settings.CASE_EXPORT_MAX_ROWS = 1
    page.reload()
    expect(page.get_by_test_id("export-bar")).to_contain_text("超过一次导出的上限 1 件")
    page.screenshot(path=str(SCREENS / "export-2-over-limit.png"), full_page=True)
    page.goto(live_server.url + "/cases/export.csv?kind=grievance")
    expect(page.get_by_test_id("export-refused")).to_contain_text("一次最多导出1件")
    page.screenshot(path=str(SCREENS / "export-3-refused.png"), full_page=True)
    page.get_by_role("link", name="返回案件查询").click()
    expect(page.locator("#id_kind")).to_have_value("grievance")
    assert errors == []
