"""In Debian's Chromium, in zh-CN: errors are triggered on the staff pages (register,
a case action, the search filters, an export) and on the public site (submit, follow),
and no English error text appears on any of them. The new petitioner columns (证件类型、
性别、户籍地) are shot for a person to look at (var/screens/one-language-*.png)."""

import re

from xinfang.conftest import BROWSER_TEST, PASSWORD, SCREENS
from xinfang.intake.services import PetitionIn, register
from xinfang.org.sample import build_people, build_units
from xinfang.portal.models import Challenge

pytestmark = BROWSER_TEST

# An English sentence: a capitalised word and at least two more words.
ENGLISH = re.compile(r"\b[A-Z][a-z]+(?: [a-z]+){2,}")


def no_english(page, where):
    text = page.inner_text("body")
    found = ENGLISH.findall(text)
    assert not found, f"{where}: {found}"


def test_staff_pages_and_the_portal_show_errors_in_chinese_only(live_server, transactional_db, staff_page, browser):
    from playwright.sync_api import expect

    people = build_people(build_units(), password=PASSWORD)
    _, case = register(actor=people["dengji"], data=PetitionIn(
        channel="letter", receiving_unit="341122-XFJ", kind="grievance", title="征地补偿款未发放", content="补偿款至今未发放。",
        petitioners=[{"name": "刘某", "id_number": "341122198503154327", "phone": "13800000001", "household_unit": "341122200201"},
                     {"name": "Chan", "document_type": "hkmo_permit", "id_number": "H12345678", "sex": "male",
                      "household_place": "香港特别行政区"}]))
    page, errors = staff_page("dengji")
    url = live_server.url

    def shot(name):
        page.screenshot(path=str(SCREENS / f"one-language-{name}.png"), full_page=True)

    # The case page: the new columns.
    page.goto(f"{url}/cases/{case.number}/")
    rows = page.get_by_test_id("petitioner")
    expect(rows.nth(0)).to_contain_text("女")
    expect(rows.nth(0)).to_contain_text("安宁县青山乡山下村")
    expect(rows.nth(1)).to_contain_text("港澳居民来往内地通行证")
    shot("1-case-page")

    # A case action sent without its required fields (htmx partial).
    page.click(".action-bar [data-action=decline]")
    page.click("#action-card button[type=submit]")
    expect(page.locator("#action-card .invalid-feedback, #action-card .alert-danger").first).to_be_visible()
    no_english(page, "decline without a reason")
    shot("2-action-error")

    # Register: six representatives, a wrong passport number, an .exe attachment.
    page.goto(f"{url}/register/?channel=visit")
    page.click("label[for=id_channel_1]")
    page.click("label[for=id_kind_2]")
    page.fill("#id_title", "征地补偿款未发放（集体访）")
    page.fill("#id_content", "村民来访，反映补偿款未发放。")
    page.fill("#id_headcount", "8")
    page.click("[data-add-row]")
    for i in range(6):
        page.fill(f"#id_p-{i}-name", f"代表{i}")
        page.check(f"#id_p-{i}-is_representative")
    page.select_option("#id_p-1-document_type", "passport")
    page.fill("#id_p-1-id_number", "E1")
    page.select_option("#id_p-2-household_unit", "341122100001")
    page.set_input_files("#id_attachments", files=[{"name": "a.exe", "mimeType": "application/octet-stream",
                                                    "buffer": b"MZ\x90\x00" + b"\x00" * 300}])
    page.click("#register-form button[type=submit]")
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#id_p-1-id_number_error")).to_contain_text("护照号码应为5至17位字母和数字")
    no_english(page, "register with mistakes")
    shot("3-register-errors")
    page.fill("#id_p-1-id_number", "E12345678")
    page.uncheck("#id_p-5-is_representative")
    page.set_input_files("#id_attachments", files=[{"name": "a.exe", "mimeType": "application/octet-stream",
                                                    "buffer": b"MZ\x90\x00" + b"\x00" * 300}])  # not kept by the browser
    page.click("#register-form button[type=submit]")
    expect(page.locator("#id_attachments_error")).to_contain_text("类型不允许")
    no_english(page, "register with an .exe")

    # Search with a bad date, and an export refused.
    page.goto(f"{url}/cases/?received_from=2026-13-40")
    expect(page.get_by_text("查询条件有误")).to_be_visible()
    no_english(page, "search with a bad date")
    page.goto(f"{url}/cases/export.csv?unit=nope")
    no_english(page, "export refused")
    shot("4-export-refused")

    # The public site, in Chinese: a grievance without phone or consent, a wrong code.
    portal = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    portal.goto(f"{url}/portal/submit/")
    portal.check("#id_kind_0")
    portal.fill("#id_name", "刘某")
    portal.fill("#id_content", "补偿款没发")
    key = portal.locator("input[name=captcha_key]").input_value()
    portal.fill("#id_captcha", Challenge.objects.get(key=key).answer)
    portal.click("#submit-form button[type=submit]")
    expect(portal.locator("#form-errors")).to_be_visible()
    no_english(portal, "portal submit with mistakes")
    portal.goto(f"{url}/portal/follow/")
    portal.fill("#id_code", "XF-0000-0000-0000-0000")
    portal.fill("#id_verify", "1234")
    portal.click("form.portal-form button[type=submit]")
    expect(portal.locator("#form-errors")).to_be_visible()
    no_english(portal, "portal follow with a wrong code")
    portal.screenshot(path=str(SCREENS / "one-language-5-portal-follow.png"), full_page=True)
    assert errors == []
