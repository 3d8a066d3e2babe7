"""In Debian's Chromium: the case page's 文书 section after acceptance and assignment,
the version history opened, and the template page. Screenshots go to var/screens/."""

from xinfang.cases.services import perform
from xinfang.conftest import BROWSER_TEST, PASSWORD, SCREENS
from xinfang.intake.services import PetitionIn, register
from xinfang.org.sample import build_people, build_units

pytestmark = BROWSER_TEST


def test_the_case_page_shows_its_documents_and_the_administrator_its_templates(live_server, transactional_db, staff_page):
    from playwright.sync_api import expect

    people = build_people(build_units(), password=PASSWORD)
    _, case = register(actor=people["dengji"], data=PetitionIn(
        channel="letter", receiving_unit="341122-XFJ", kind="grievance", title="征地补偿款未发放", content="补偿款至今未发放。",
        petitioners=[{"name": "刘某"}]))
    perform(case=case, action="accept", actor=people["dengji"])
    perform(case=case, action="assign", actor=people["dengji"], unit="341122100", note="请实地核查")
    page, errors = staff_page("dengji")
    page.goto(f"{live_server.url}/cases/{case.number}/#documents")
    section = page.get_by_test_id("documents")
    expect(section).to_contain_text("受理告知书")
    expect(section).to_contain_text("交办单")
    expect(section).to_contain_text("安宁县信访局信交〔")
    section.locator("summary").first.click()
    expect(section.get_by_role("button", name="上传修改稿/扫描件").first).to_be_visible()
    section.screenshot(path=str(SCREENS / "documents-case.png"))
    assert errors == []

    page, errors = staff_page("guanli")
    page.get_by_role("link", name="文书模板").click()
    expect(page.get_by_role("heading", name="文书模板", exact=True)).to_be_visible()
    expect(page.get_by_test_id("template-kind")).to_have_count(14)
    page.screenshot(path=str(SCREENS / "documents-templates.png"))
    assert errors == []
