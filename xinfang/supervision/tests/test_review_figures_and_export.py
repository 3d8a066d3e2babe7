"""A round's figures (reviewed, average, per grade, per unit), each the count of the list
behind it, and the round's results as an Excel workbook opened back."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from xinfang.audit.models import AuditEntry
from xinfang.lib.errors import NotFound
from xinfang.supervision import reviews

from .reviewkit import GOOD, POOR, answered_by_town, answered_here  # noqa: F401


@pytest.fixture
def round_done(people, answered_here, answered_by_town):
    today = timezone.localdate()
    row = reviews.open_round(actor=people["ducha"], name="季度评查", period_start=today - datetime.timedelta(days=7), period_end=today)
    cases = [answered_here(), answered_here(), answered_by_town(), answered_here()]
    items = reviews.sample(row, actor=people["ducha"], numbers=[c.number for c in cases])
    reviews.review(items[0], actor=people["ducha"], scores=GOOD)
    reviews.review(items[1], actor=people["ducha"], scores={**GOOD, "facts": 10, "policy": 10})  # 66: 合格
    reviews.review(items[2], actor=people["ducha"], scores=POOR, findings="答复未告知救济途径")
    return row


def test_each_figure_is_the_count_of_its_list(round_done):
    found = reviews.figures(round_done)
    assert (found["sampled"], found["reviewed"], str(found["average"])) == (4, 3, "67.3")
    assert len(reviews.round_reviews(round_done)) == found["sampled"]
    assert len(reviews.round_reviews(round_done, status="reviewed")) == found["reviewed"]
    for line in found["per_grade"]:
        assert len(reviews.round_reviews(round_done, grade=line["grade"])) == line["count"] == 1
    units = {line["name"]: line for line in found["per_unit"]}
    assert units["安宁县信访局"]["count"] == 3 and units["城关镇人民政府"]["count"] == 1
    for line in found["per_unit"]:
        assert len(reviews.round_reviews(round_done, unit=line["code"])) == line["count"]
        assert len(reviews.round_reviews(round_done, unit=line["code"], status="reviewed")) == line["reviewed"]


def test_the_export_opens_with_one_row_a_case_and_the_figures(people, round_done):
    body = reviews.export_round(round_done, actor=people["lingdao"])
    book = load_workbook(io.BytesIO(body))
    sheet = book["评查结果"]
    head = [c.value for c in sheet[2]]
    assert head[:6] == ["事项编号", "标题", "被评查单位", "状态", "评查人", "评查时间"]
    assert "事实调查到位（25）" in head and head[-5:] == ["总分", "等次", "评查意见", "整改期限", "整改情况"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=3)]
    assert len(rows) == 4
    fail = next(r for r in rows if r[head.index("等次")] == "不合格")
    assert fail[2] == "城关镇人民政府" and fail[head.index("总分")] == 43 and fail[head.index("评查意见")] == "答复未告知救济途径"
    assert sum(1 for r in rows if r[3] == "待评查") == 1
    stats = {r[0].value: r[1].value for r in book["统计"].iter_rows() if r[0].value}
    assert stats["抽取件数"] == 4 and stats["已评查"] == 3 and stats["优秀"] == 1
    assert AuditEntry.objects.filter(action="review.export", actor=people["lingdao"]).exists()


def test_the_export_is_refused_outside_the_rounds_readers(people, round_done):
    for who in ("chengban", "cg_fuzeren"):
        with pytest.raises(NotFound):
            reviews.export_round(round_done, actor=people[who])
