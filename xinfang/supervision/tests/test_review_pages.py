"""The review and accountability screens through the test client: the supervisor's
round, form and export; the unit's findings page; the register; refusals."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from xinfang.audit.models import AuditEntry
from xinfang.supervision import reviews
from xinfang.supervision.models import AccountabilityRecord, CaseReview, ReviewRound, ReviewStatus

from .reviewkit import GOOD, POOR, answered_by_town, answered_here  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def drawn(people, answered_by_town):
    case = answered_by_town()
    today = timezone.localdate()
    row = reviews.open_round(actor=people["ducha"], name="页面评查", period_start=today - datetime.timedelta(days=7), period_end=today)
    return case, reviews.sample(row, actor=people["ducha"], numbers=[case.number])[0]


def test_a_supervisor_opens_a_round_and_draws(login, people, answered_here):
    case = answered_here()
    client = login("ducha")
    today = timezone.localdate()
    page = client.post("/supervision/reviews/", {"name": "十二月评查", "period_start": (today - datetime.timedelta(days=3)).isoformat(),
                                                  "period_end": today.isoformat(), "unit": "341122"})
    row = ReviewRound.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/supervision/reviews/{row.pk}/"
    client.post(f"/supervision/reviews/{row.pk}/sample/", {"size": "5", "seed": "7"})
    html = client.get(f"/supervision/reviews/{row.pk}/").content.decode()
    assert case.number in html and "随机抽取5件（种子7）" in html and 'data-testid="fig-sampled">1<' in html
    assert "案件评查" in client.get("/work/").content.decode()


def test_the_review_form_scores_and_sends(login, drawn):
    case, item = drawn
    client = login("ducha")
    html = client.get(f"/supervision/reviews/case/{item.pk}/").content.decode()
    assert "事实调查到位" in html and "经核实补偿款未发放" in html and case.title in html  # the reply beside the checklist
    posted = {f"score-{k}": v for k, v in POOR.items()}
    refused = client.post(f"/supervision/reviews/case/{item.pk}/", posted)
    assert refused.status_code == 422 and "评为不合格须写明评查意见" in refused.content.decode()
    assert CaseReview.objects.get().status == ReviewStatus.PENDING
    done = client.post(f"/supervision/reviews/case/{item.pk}/", {**posted, "findings": "事实未查清"})
    assert done.status_code == 302
    sent = client.post(f"/supervision/reviews/case/{item.pk}/", {"send": "1"})
    assert sent.status_code == 302 and CaseReview.objects.get().status == ReviewStatus.SENT
    case_page = client.get(f"/cases/{case.number}/").content.decode()
    assert 'data-testid="case-reviews"' in case_page and "页面评查" in case_page


def test_the_unit_answers_its_findings_and_another_unit_is_refused(login, people, drawn):
    _, item = drawn
    reviews.review(item, actor=people["ducha"], scores=GOOD)
    reviews.send(item, actor=people["ducha"])
    assert login("qs_fuzeren").get(f"/supervision/findings/{item.pk}/").status_code == 404
    client = login("cg_fuzeren")
    assert "页面评查" in client.get("/supervision/findings/").content.decode()
    assert 'data-testid="response-form"' in client.get(f"/supervision/findings/{item.pk}/").content.decode()
    client.post(f"/supervision/findings/{item.pk}/", {"response": "已组织整改"})
    assert CaseReview.objects.get().response == "已组织整改"
    assert "评查反馈" in client.get("/work/").content.decode()


def test_a_handler_cannot_open_the_review_pages(login, drawn):
    _, item = drawn
    client = login("chengban")
    assert client.get("/supervision/reviews/").status_code == 403
    assert client.get(f"/supervision/reviews/case/{item.pk}/").status_code == 404
    assert client.post(f"/supervision/reviews/case/{item.pk}/", {f"score-{k}": v for k, v in GOOD.items()}).status_code == 404
    assert CaseReview.objects.get().status == ReviewStatus.PENDING


def test_the_export_downloads_a_workbook(login, drawn):
    _, item = drawn
    response = login("lingdao").get(f"/supervision/reviews/{item.round_id}/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book["评查结果"]["A3"].value == item.case.number


def test_the_register_records_with_a_file_and_logs_each_read(login, people, answered_here):
    case = answered_here()
    client = login("ducha")
    response = client.post("/supervision/accountability/new/", {
        "summary": "答复超期", "subject_unit": "341122100", "decided_by": "中共安宁县委办公室",
        "decided_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(), "basis": "条例第四十五条", "kind": "notice",
        "cases": case.number, "files": SimpleUploadedFile("通报.pdf", PDF, content_type="application/pdf")})
    record = AccountabilityRecord.objects.get()
    assert response.status_code == 302 and record.files.count() == 1
    html = login("lingdao").get(f"/supervision/accountability/{record.pk}/").content.decode()
    assert "通报批评" in html and "通报.pdf" in html and case.number in html
    download = login("lingdao").get(f"/supervision/accountability/{record.pk}/files/{record.files.get().pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AuditEntry.objects.filter(action="accountability.read", actor=people["lingdao"]).count() == 2
    assert "城关镇人民政府" in login("shenji").get("/supervision/accountability/?kind=notice").content.decode()
    assert login("cg_fuzeren").get("/supervision/accountability/").status_code == 403
    assert login("cg_fuzeren").get(f"/supervision/accountability/{record.pk}/").status_code == 403
    assert login("lingdao").get("/supervision/accountability/new/").status_code == 403
    refused = login("ducha").post("/supervision/accountability/new/", {"summary": "x", "kind": "notice", "cases": case.number})
    assert refused.status_code == 422 and AccountabilityRecord.objects.count() == 1
