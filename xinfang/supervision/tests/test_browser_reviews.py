"""Case quality review in Debian's Chromium: the supervisor scores a case on the review
form and sends the findings; the township head answers them; the accountability
register records a decision with its document. Screenshots: var/screens/reviews-*.png."""

import datetime

import pytest
from django.utils import timezone

from xinfang.conftest import BROWSER_TEST, SCREENS
from xinfang.supervision import reviews
from xinfang.supervision.models import AccountabilityRecord, CaseReview, ReviewStatus
from xinfang.supervision.tests.browsing import via_menu

from .reviewkit import POOR, answered_by_town, answered_here  # noqa: F401

pytestmark = BROWSER_TEST

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def drawn(transactional_db, people, answered_by_town, answered_here):
    town, here = answered_by_town(), answered_here()
    today = timezone.localdate()
    row = reviews.open_round(actor=people["ducha"], name="2026年第四季度案件评查", period_start=today - datetime.timedelta(days=30),
                             period_end=today)
    reviews.sample(row, actor=people["ducha"], numbers=[town.number, here.number])
    return row, town, here


def test_review_form_findings_and_response(live_server, drawn, staff_page, tmp_path):
    from playwright.sync_api import expect

    row, town, _ = drawn
    page, errors = staff_page("ducha")
    via_menu(page, "案件评查")
    expect(page.get_by_role("heading", name="案件评查")).to_be_visible()
    expect(page.get_by_test_id("round-list")).to_contain_text(row.name)
    page.screenshot(path=str(SCREENS / "reviews-rounds.png"), full_page=True)
    page.get_by_role("link", name=row.name).click()
    expect(page.get_by_test_id("fig-sampled")).to_have_text("2")
    item = CaseReview.objects.get(case=town)
    page.goto(live_server.url + f"/supervision/reviews/case/{item.pk}/")
    expect(page.get_by_test_id("review-reply")).to_contain_text("经核实补偿款未发放")
    for code, score in POOR.items():
        page.fill(f"#score-{code}", str(score))
    page.get_by_role("button", name="保存评查结果").click()
    expect(page.get_by_test_id("review-error")).to_contain_text("评为不合格须写明评查意见")
    page.fill("#findings", "一、调查核实不充分；二、答复未告知复查途径。请整改。")
    page.screenshot(path=str(SCREENS / "reviews-form.png"), full_page=True)
    page.get_by_role("button", name="保存评查结果").click()
    expect(page.get_by_test_id("review-result")).to_contain_text("不合格")
    page.fill("#response_due", (timezone.localdate() + datetime.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="将评查意见反馈城关镇人民政府").click()
    expect(page.get_by_test_id("review-status")).to_have_text("已反馈单位")
    page.screenshot(path=str(SCREENS / "reviews-form-sent.png"), full_page=True)
    page.goto(live_server.url + f"/supervision/reviews/{row.pk}/")
    expect(page.get_by_test_id("fig-fail")).to_have_text("1")
    page.screenshot(path=str(SCREENS / "reviews-round.png"), full_page=True)
    assert errors == []

    town_page, town_errors = staff_page("cg_fuzeren")
    via_menu(town_page, "评查反馈")
    expect(town_page.get_by_test_id("finding-list")).to_contain_text(town.number)
    town_page.get_by_role("link", name="反馈整改情况").click()
    expect(town_page.get_by_test_id("finding-text")).to_contain_text("调查核实不充分")
    town_page.fill("#response", "已重新调查核实并补发告知复查途径的书面答复。")
    town_page.screenshot(path=str(SCREENS / "reviews-finding.png"), full_page=True)
    town_page.get_by_role("button", name="提交整改情况").click()
    expect(town_page.get_by_test_id("finding-response")).to_contain_text("已重新调查核实")
    page.goto(live_server.url + f"/supervision/reviews/case/{item.pk}/")
    page.get_by_role("button", name="整改情况审核通过").click()
    expect(page.get_by_text("整改情况已审核通过").last).to_be_visible()
    assert CaseReview.objects.get(case=town).status == ReviewStatus.ACKNOWLEDGED
    assert town_errors == []


def test_the_accountability_register(live_server, drawn, staff_page, tmp_path):
    from playwright.sync_api import expect

    _, town, _ = drawn
    scan = tmp_path / "通报.pdf"
    scan.write_bytes(PDF)
    page, errors = staff_page("ducha")
    page.goto(live_server.url + "/supervision/accountability/")
    page.get_by_role("link", name="登记责任追究").click()
    page.fill("#a-summary", "城关镇办理该事项超期答复，且未告知复查途径。")
    page.select_option("#a-unit", label="城关镇人民政府")
    page.fill("#a-by", "中共安宁县委办公室")
    page.fill("#a-on", (timezone.localdate() - datetime.timedelta(days=2)).isoformat())
    page.select_option("#a-kind", label="通报批评")
    page.fill("#a-cases", town.number)
    page.fill("#a-basis", "《信访工作条例》第四十五条")
    page.set_input_files("#a-files", str(scan))
    page.screenshot(path=str(SCREENS / "reviews-accountability-form.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("accountability-detail")).to_contain_text("通报.pdf")
    page.screenshot(path=str(SCREENS / "reviews-accountability-detail.png"), full_page=True)
    page.get_by_role("link", name="责任追究登记簿").click()
    expect(page.get_by_test_id("accountability-list")).to_contain_text("城关镇人民政府")
    page.screenshot(path=str(SCREENS / "reviews-accountability-list.png"), full_page=True)
    page.goto(live_server.url + f"/cases/{town.number}/")
    expect(page.get_by_test_id("case-reviews")).to_contain_text("通报批评")
    page.get_by_test_id("case-reviews").screenshot(path=str(SCREENS / "reviews-case-page.png"))
    assert AccountabilityRecord.objects.get().files.count() == 1
    assert errors == []
