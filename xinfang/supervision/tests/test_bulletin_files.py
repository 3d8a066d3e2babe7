"""The bulletin as an editable Word file and an Excel workbook, opened back: the numbers
in them equal the lists in them."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from xinfang.supervision import bulletins

from .bulletin_world import world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(people, units, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = bulletins.generate(actor=people["ducha"], unit=units["county"], period_kind="custom", start=world["start"],
                               end=world["end"], note="请各单位对照检查，限期整改到位。")
    return bulletins.publish(draft, actor=people["ducha"])


def test_the_word_file_holds_the_text_the_table_and_the_lists(published, units, world):
    doc = Document(io.BytesIO(bulletins.docx(published)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert published.number in text and published.title in text and "请各单位对照检查，限期整改到位。" in text
    assert "安宁县信访局" in text  # the issuing unit, red header
    summary, *lists = doc.tables
    rows = [[c.text for c in row.cells] for row in summary.rows]
    assert rows[0] == ["序号", "单位", "逾期未结（件）", "退回补办（次）", "催办（次）"]
    by_unit = {r[1]: r[2:] for r in rows[1:-1]}
    assert by_unit == {"安宁县信访局": ["1", "0", "0"], "青山乡人民政府": ["1", "0", "2"], "河口镇人民政府": ["0", "1", "0"]}
    assert rows[-1][1:] == ["合计", "2", "1", "2"]
    # The table sits right after the text that announces it, before the note.
    body = doc.element.body
    assert body.index(summary._tbl) == body.index(next(p for p in doc.paragraphs if p.text.startswith("现将"))._p) + 1
    assert len(lists) == 3
    for figure, table, total in zip(bulletins.FIGURES, lists, (2, 1, 2), strict=True):
        listed = [[c.text for c in row.cells] for row in table.rows][1:]
        assert len(listed) == total == len(bulletins.figure_list(published, figure))
        for unit_name, counts in by_unit.items():
            column = bulletins.FIGURES.index(figure)
            assert sum(1 for r in listed if r[3] == unit_name) == int(counts[column])
    heads = [p.text for p in doc.paragraphs if p.text.startswith("附件")]
    assert heads == ["附件：逾期未结事项清单（2）", "附件：退回补办事项清单（1）", "附件：催办事项清单（2）"]
    assert world["case_a"].number in [c.text for row in lists[0].rows for c in row.cells]


def test_the_workbook_has_the_summary_and_a_sheet_per_figure(published):
    book = load_workbook(io.BytesIO(bulletins.xlsx(published)))
    assert book.sheetnames == ["汇总", "逾期未结", "退回补办", "催办"]
    summary = [list(r) for r in book["汇总"].iter_rows(min_row=4, values_only=True)]
    lines = summary[:-1]
    assert summary[-1] == [None, "合计", 2, 1, 2]
    for sheet, column in (("逾期未结", 2), ("退回补办", 3), ("催办", 4)):
        rows = list(book[sheet].iter_rows(min_row=2, values_only=True))
        assert len(rows) == summary[-1][column]
        for line in lines:
            assert sum(1 for r in rows if r[3] == line[1]) == line[column], (sheet, line)
    overdue = list(book["逾期未结"].iter_rows(min_row=1, values_only=True))
    assert overdue[0] == ("序号", "事项编号", "标题", "单位", "事项", "期限", "逾期天数", "时间")
    qingshan = next(r for r in overdue if r[3] == "青山乡人民政府")
    assert qingshan[2] == "青山乡道路积水问题督办" and qingshan[6] == 20


def test_a_draft_says_it_has_no_number_yet(people, units, world):
    draft = bulletins.generate(actor=people["ducha"], unit=units["county"], period_kind="custom", start=world["start"], end=world["end"])
    doc = Document(io.BytesIO(bulletins.docx(draft)))
    assert "（草稿，未编号）" in "\n".join(p.text for p in doc.paragraphs)
    assert bulletins.file_name(draft, "docx").startswith("通报草稿")
