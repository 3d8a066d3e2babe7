"""The screens of supervision items: the supervisor's desk, the unit's side (督办待办),
an obligation's page with its forms, opening an item from a case, and the level badge
wherever a case appears (lists, the case page, the exports)."""

import csv
import datetime
import io
import re

import pytest
from docx import Document as Docx
from openpyxl import load_workbook

from xinfang.cases.models import Obligation
from xinfang.supervision import items

from .conftest import DAY

pytestmark = pytest.mark.usefixtures("on_day")


def _html(response):
    return response.content.decode()


def test_the_desk_counts_each_level_and_each_count_is_its_list(login, people, item, assigned_case, register_case):
    other = register_case(title="拖欠工资")
    items.open_item(case=other, actor=people["ducha"], level="listed", unit="341122-ZJJ", requirement="五日内报告",
                    due_date=DAY + datetime.timedelta(days=5))
    client = login("ducha")
    page = _html(client.get("/supervision/desk/"))
    counts = dict(re.findall(r'data-level-count="(\w+)".*?<div class="stat-value">(\d+)</div>', page, re.S))
    assert counts == {"all": "2", "general": "0", "key": "1", "listed": "1"}
    for level, expected in (("key", [item.pk]), ("listed", [Obligation.objects.get(owner_unit__code="341122-ZJJ").pk]), ("general", [])):
        listed = _html(client.get("/supervision/desk/", {"level": level}))
        rows = [int(pk) for pk in re.findall(r'data-obligation="(\d+)"', listed.split('data-testid="desk-table"')[1].split("</table>")[0])]
        assert rows == expected and len(rows) == int(counts[level])
    # The listed item comes first on the unfiltered list: highest level first.
    rows = re.findall(r'data-obligation="(\d+)"', page.split('data-testid="desk-table"')[1])
    assert int(rows[0]) != item.pk
    by_unit = _html(client.get("/supervision/desk/", {"unit": "341122100"}))
    assert re.findall(r'data-level-count="all".*?<div class="stat-value">(\d+)</div>', by_unit, re.S) == ["1"]
    assert 'data-testid="desk-links"' in page


def test_overdue_only_and_the_red_rows(login, item, on_day):
    on_day.move_to(datetime.datetime(2026, 3, 14, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))
    page = _html(login("ducha").get("/supervision/desk/", {"overdue": "1"}))
    assert f'data-obligation="{item.pk}"' in page and "已超期" in page
    owed = _html(login("cg_chengban").get("/supervision/owed/"))
    assert re.search(rf'<tr class="is-overdue table-danger" data-obligation="{item.pk}"', owed)
    assert re.search(r'data-count="overdue">1<', owed)


def test_the_desk_is_for_supervisors_leaders_and_heads(login, item):
    assert login("chengban").get("/supervision/desk/").status_code == 403
    assert login("cg_chengban").get("/supervision/desk/").status_code == 403
    assert login("lingdao").get("/supervision/desk/").status_code == 200


def test_the_desk_leads_to_every_other_supervision_screen(login, item):
    links = ["/supervision/owed/", "/supervision/overdue/", "/supervision/bulletins/", "/supervision/campaigns/"]
    review = ["/supervision/reviews/", "/supervision/accountability/"]
    supervisor = _html(login("ducha").get("/supervision/desk/"))
    assert all(f'href="{link}"' in supervisor for link in links + review)
    head = _html(login("fuzeren").get("/supervision/desk/"))  # a head reviews no cases: no 案件评查 card
    assert all(f'href="{link}"' in head for link in links) and not any(f'href="{link}"' in head for link in review)


def test_the_township_sees_what_it_owes_with_the_level_and_the_count_in_the_navigation(login, item, assigned_case):
    page = _html(login("cg_chengban").get("/supervision/owed/"))
    assert f'data-obligation="{item.pk}"' in page and "重点督办" in page and "交办反馈" in page  # both kinds
    assert re.search(r'data-testid="owed-count">2<', page)  # the report-back and the supervision item
    assert re.search(r'data-count="owed">2<', page)
    assert 'data-testid="nav-owed"' in page and "督查督办台" not in page  # a handler has no desk
    assert 'data-testid="nav-supervision"' in _html(login("ducha").get("/work/"))


def test_an_item_page_report_and_decide(login, item, assigned_case):
    township = login("cg_chengban")
    page = _html(township.get(f"/supervision/obligations/{item.pk}/"))
    assert 'data-testid="report-form"' in page and 'data-testid="accept-form"' not in page
    assert 'data-testid="form-download"' in page
    response = township.post(f"/supervision/obligations/{item.pk}/report/", {"text": "补偿款已发放", "final": "1"})
    assert response.status_code == 302
    response = township.post(f"/supervision/obligations/{item.pk}/report/", {"text": "再报"})
    assert response.status_code == 409 and "不能再报告" in _html(response)
    supervisor = login("ducha")
    page = _html(supervisor.get(f"/supervision/obligations/{item.pk}/"))
    assert 'data-testid="accept-form"' in page and 'data-testid="send-back-form"' in page and "补偿款已发放" in page
    response = supervisor.post(f"/supervision/obligations/{item.pk}/send_back/", {"reason": "缺凭证", "due_date": "2026-02-01"})
    assert response.status_code == 422 and "期限不能早于今天" in _html(response)
    assert Obligation.objects.get(pk=item.pk).status == "reported"
    assert supervisor.post(f"/supervision/obligations/{item.pk}/accept/", {"note": "同意"}).status_code == 302
    assert Obligation.objects.get(pk=item.pk).status == "accepted"
    assert supervisor.post(f"/supervision/obligations/{item.pk}/nothing/", {}).status_code == 404
    assert login("qs_fuzeren").get(f"/supervision/obligations/{item.pk}/").status_code == 404


def test_the_report_back_page_links_to_the_case_instead_of_deciding(login, assigned_case):
    report_back = Obligation.objects.get(case=assigned_case, kind="report_back")
    page = _html(login("fuzeren").get(f"/supervision/obligations/{report_back.pk}/"))
    assert 'data-testid="use-case-page"' in page and f"/cases/{assigned_case.number}/" in page
    assert 'data-testid="accept-form"' not in page and 'data-testid="cancel-form"' not in page


def test_opening_an_item_from_the_case_page(login, people, assigned_case):
    supervisor = login("ducha")
    case_page = _html(supervisor.get(f"/cases/{assigned_case.number}/"))
    assert 'data-testid="supervise-button"' in case_page
    form = _html(supervisor.get(f"/supervision/cases/{assigned_case.number}/supervise/"))
    assert 'value="341122100" selected' in form
    response = supervisor.post(f"/supervision/cases/{assigned_case.number}/supervise/",
                               {"unit": "341122100", "level": "key", "requirement": "报告", "due_date": "2026-02-01"})
    assert response.status_code == 422 and "期限不能早于今天" in _html(response)
    assert not Obligation.objects.filter(kind="supervision").exists()
    response = supervisor.post(f"/supervision/cases/{assigned_case.number}/supervise/",
                               {"unit": "341122100", "level": "key", "requirement": "报告", "due_date": "2026-03-12"})
    row = Obligation.objects.get(kind="supervision")
    assert response.status_code == 302 and response["Location"] == f"/supervision/obligations/{row.pk}/"
    case_page = _html(supervisor.get(f"/cases/{assigned_case.number}/"))
    assert 'data-level="key"' in case_page and "督办单" in case_page
    # The form downloads from the case page's documents and opens in Word.
    form_id = items.form_of(row).pk
    body = b"".join(supervisor.get(f"/documents/{form_id}/").streaming_content) if hasattr(
        supervisor.get(f"/documents/{form_id}/"), "streaming_content") else supervisor.get(f"/documents/{form_id}/").content
    text = "\n".join(p.text for p in Docx(io.BytesIO(body)).paragraphs)
    assert assigned_case.number in text and "重点督办" in text
    assert login("chengban").get(f"/supervision/cases/{assigned_case.number}/supervise/").status_code == 403
    assert login("qs_fuzeren").get(f"/supervision/cases/{assigned_case.number}/supervise/").status_code == 404


def test_the_level_shows_in_lists_and_exports(login, item, assigned_case):
    client = login("dengji")
    for url in ("/cases/", "/work/"):
        page = _html(client.get(url))
        if assigned_case.number in page:
            assert 'data-level="key"' in page, url
    assert 'data-level="key"' in _html(client.get("/cases/"))
    assert 'data-level="key"' in _html(login("cg_chengban").get("/work/"))
    rows = list(csv.reader(io.StringIO(b"".join(client.get("/cases/export.csv").streaming_content).decode("utf-8-sig"))))
    column = rows[0].index("督办级别")
    assert [r[column] for r in rows[1:] if r[0] == assigned_case.number] == ["重点督办"]
    sheet = load_workbook(io.BytesIO(client.get("/cases/export.xlsx").content)).active
    values = list(sheet.values)
    column = list(values[0]).index("督办级别")
    assert [r[column] for r in values[1:] if r[0] == assigned_case.number] == ["重点督办"]
