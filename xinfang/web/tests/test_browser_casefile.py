"""In Debian's Chromium: an archived case's page shows its case file (电子案卷) with a
part that failed and why, the downloads and 重新生成案卷. Screenshot in var/screens/."""

from xinfang.cases.services import perform
from xinfang.conftest import BROWSER_TEST, PASSWORD, SCREENS
from xinfang.documents.kinds import DocKind
from xinfang.documents.tests.casefile_factories import NEEDS_OFFICE, corrupt_docx, make_document
from xinfang.intake.services import PetitionIn, register
from xinfang.org.sample import build_people, build_units

pytestmark = [*BROWSER_TEST, NEEDS_OFFICE]

REPLY = dict(outcome="support", request_summary="发放补偿款", facts="经核实补偿款未发放", opinion="责成十日内发放")


def test_the_case_file_card_of_an_archived_case(live_server, transactional_db, staff_page, settings, tmp_path, monkeypatch):
    from huey.contrib.djhuey import HUEY
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(HUEY, "immediate", True)
    units = build_units()
    people = build_people(units, password=PASSWORD)
    _, case = register(actor=people["dengji"], data=PetitionIn(
        channel="letter", receiving_unit="341122-XFJ", kind="grievance", title="征地补偿款未发放", content="补偿款至今未发放。",
        petitioners=[{"name": "刘某"}]))
    for action, who, params in [("accept", "dengji", {}), ("assign", "dengji", {"unit": "341122100"}), ("start", "cg_chengban", {}),
                                ("report", "cg_fuzeren", {**REPLY, "summary": "已核实"}), ("approve", "fuzeren", {}),
                                ("close", "dengji", {})]:
        case = perform(case=case, action=action, actor=people[who], **params)
    make_document(case, unit=units["bureau"], kind=DocKind.ACCEPT_NOTICE)
    make_document(case, unit=units["bureau"], kind=DocKind.EXTENSION_NOTICE, body=corrupt_docx(), name="延期告知书.docx")
    perform(case=case, action="archive", actor=people["dengji"], retention="30y")  # builds once it commits

    page, errors = staff_page("dengji")
    page.goto(f"{live_server.url}/cases/{case.number}/")
    card = page.get_by_test_id("casefile-card")
    expect(page.get_by_test_id("casefile-state")).to_contain_text("已生成")
    expect(card).to_contain_text("30年")
    expect(page.get_by_test_id("casefile-failures")).to_contain_text("延期告知书")
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENS / "casefile-card.png"), full_page=True)
    page.get_by_test_id("casefile-rebuild").click()
    expect(page.get_by_text("已提交重新生成电子案卷")).to_be_visible()
    expect(page.get_by_test_id("casefile-state")).to_contain_text("已生成")
    assert errors == []
