"""导出: the case list of 案件查询 as a CSV or Excel ledger — exactly the cases the list
shows for the same filters, in its order; nothing of another unit's; no accuser for
those who may not see one; never an ID number, phone or address; cells that cannot run
as formulas; a refusal past the row limit; a fixed number of queries; on the record."""

import csv
import datetime
import html
import io
import zipfile

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xinfang.audit.models import AuditEntry
from xinfang.analytics.exports import HEADER, SHIELDED
from xinfang.cases.services import perform
from xinfang.lib.masking import mask_address, mask_id, mask_phone

CSV_URL, XLSX_URL = reverse("web:case_export_csv"), reverse("web:case_export_xlsx")
PERSON = {"name": "欧阳明远", "id_number": "11010519491231002X", "phone": "13812345678", "address": "安宁县城关镇东街梧桐巷7号"}


def csv_rows(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # Excel and WPS read it as UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def xlsx_rows(response):
    assert response.status_code == 200, response.content
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else v for v in row] for row in sheet.values]


def numbers(rows):
    return [r[0] for r in rows[1:]]


def listed(client, params):
    response = client.get(reverse("web:search"), params)
    return [c.number for c in response.context["page"].object_list]


def xlsx_text(content):
    """Every XML part of the workbook, as text: what a reader of the file could find
    (character references resolved: with lxml installed, openpyxl writes 检 as &#26816;)."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return html.unescape("".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")))


@time_machine.travel("2026-03-16 10:00 +0800", tick=False)
def test_the_export_lists_exactly_the_cases_the_list_shows_in_its_order(login, register_case, people, units):
    land = register_case(title="征地补偿款未发放", category="0101", received_at=timezone.now() - datetime.timedelta(days=40))
    wages = register_case(title="拖欠工资", category="0301", content="工程款拖欠工人工资")
    idea = register_case(title="建议增设公交站", kind="suggestion", content="建议在东街增设公交站")
    perform(case=idea, action="accept", actor=people["dengji"])
    perform(case=idea, action="assign", actor=people["dengji"], unit=units["chengguan"].code)
    register_case(title="城关镇自己的事项", actor=people["cg_dengji"], receiving_unit=units["chengguan"])
    client = login("dengji")

    for params in [{}, {"q": "工人"}, {"kind": "suggestion"}, {"category": "01"}, {"status": "assigned"},
                   {"unit": units["chengguan"].code}, {"overdue": "yes"}, {"overdue": "no"},
                   {"received_from": "2026-02-01", "received_to": "2026-02-28"}, {"kind": "grievance", "page": "2"}]:
        shown = listed(client, {k: v for k, v in params.items() if k != "page"})
        assert numbers(csv_rows(client.get(CSV_URL, params))) == shown, params
        assert numbers(xlsx_rows(client.get(XLSX_URL, params))) == shown, params
    assert len(listed(client, {})) == 4  # the bureau sees 城关镇's own case too: its county's


@time_machine.travel("2026-03-16 10:00 +0800", tick=False)
def test_a_row_holds_the_ledgers_columns_with_the_choices_labels_and_local_dates(login, register_case, people):
    # 23:30 on the 1st in Beijing is still the 1st there, though the 1st at 15:30 in UTC.
    received = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    case = register_case(title="征地补偿款未发放", category="0101", channel="visit", headcount=6, received_at=received,
                         petitioners=[{"name": n, "is_representative": i < 2} for i, n in enumerate(["甲", "乙", "丙", "丁", "戊", "己"])])
    register_case(title="征地补偿款仍未发放", channel="letter", case=case.number, petitioners=[{"name": "甲"}, {"name": "庚"}])
    perform(case=case, action="accept", actor=people["dengji"])
    perform(case=case, action="reply", actor=people["fuzeren"], outcome="support", request_summary="请求发放补偿款",
            facts="补偿款确未发放", opinion="责令乡政府一个月内发放")
    perform(case=case, action="evaluate", actor=people["dengji"], satisfaction="basically")
    case.refresh_from_db()

    rows = csv_rows(login("dengji").get(CSV_URL))
    assert rows[0] == HEADER
    assert dict(zip(HEADER, rows[1])) == {
        "事项编号": case.number, "登记日期": "2026-03-01", "渠道": "来访", "性质": "申诉求决",
        "问题类别（一级）": "土地征收", "问题类别（二级）": "征地补偿", "标题": "征地补偿款未发放",
        "信访人": "甲、乙、丙、丁、戊、己、庚", "性别": "", "户籍地": "", "人数": "6", "是否集体访": "是", "重复信访次数": "1",
        "当前办理单位": "安宁县信访局", "状态": "已评价", "督办级别": "", "受理期限": case.decide_due.isoformat(),
        "办理期限": case.handle_due.isoformat(), "是否逾期": "否", "答复日期": "2026-03-16", "是否按期答复": "是",
        "满意度": "基本满意",
    }
    xlsx = xlsx_rows(login("dengji").get(XLSX_URL))
    assert xlsx[1][10] == 6 and xlsx[1][12] == 1  # counts are numbers in Excel
    assert [str(v) for v in xlsx[1]] == rows[1]


def test_a_user_of_another_township_gets_none_of_chengguans_cases(login, register_case, people, units):
    theirs = register_case(title="城关镇豆腐坊排污", actor=people["cg_dengji"], receiving_unit=units["chengguan"],
                           petitioners=[{"name": "甄宓琼"}])
    own = register_case(title="山下村道路修缮", actor=people["qs_fuzeren"], receiving_unit=units["qingshan"])

    for url, read in [(CSV_URL, csv_rows), (XLSX_URL, xlsx_rows)]:
        assert numbers(read(login("qs_fuzeren").get(url))) == [own.number]
        assert numbers(read(login("qs_fuzeren").get(url, {"q": "豆腐坊"}))) == []
        assert numbers(read(login("cg_chengban").get(url))) == [theirs.number]  # the control: 城关镇 sees it
    # Asking for 城关镇 by its code is not a filter 青山乡 can choose.
    refused = login("qs_fuzeren").get(CSV_URL, {"unit": units["chengguan"].code})
    assert refused.status_code == 400 and "城关镇豆腐坊排污" not in refused.content.decode()


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_the_accuser_is_named_for_the_bureaus_registrar_and_not_for_the_routed_unit(url, login, register_case, people, units):
    accusation = register_case(title="检举粮站站长侵吞补贴", kind="accusation", content="检举粮站站长侵吞种粮补贴。",
                               petitioners=[{"name": "蔺秋实"}])
    perform(case=accusation, action="accept", actor=people["dengji"])
    perform(case=accusation, action="assign", actor=people["dengji"], unit=units["chengguan"].code)

    handler = login("cg_chengban").get(url)
    raw = b"".join(handler.streaming_content) if handler.streaming else handler.content
    text = raw.decode("utf-8", errors="replace") + (xlsx_text(raw) if url == XLSX_URL else "")
    assert accusation.number in text and SHIELDED in text
    assert "蔺秋实" not in text

    registrar = login("dengji").get(url)
    raw = b"".join(registrar.streaming_content) if registrar.streaming else registrar.content
    text = raw.decode("utf-8", errors="replace") + (xlsx_text(raw) if url == XLSX_URL else "")
    assert "蔺秋实" in text and SHIELDED not in text


def test_the_first_petitioners_sex_and_household_place_are_in_the_row_but_not_for_the_routed_unit(login, register_case,
                                                                                                 people, units):
    case = register_case(petitioners=[{"name": "刘某", "id_number": "341122198503154327", "household_unit": "341122200201"}])
    accusation = register_case(title="检举站长", kind="accusation", content="检举粮站站长侵吞种粮补贴。",
                               petitioners=[{"name": "蔺秋实", "sex": "male", "household_place": "浙江省杭州市西湖区"}])
    perform(case=accusation, action="accept", actor=people["dengji"])
    perform(case=accusation, action="assign", actor=people["dengji"], unit=units["chengguan"].code)

    rows = {r[0]: dict(zip(HEADER, r)) for r in csv_rows(login("dengji").get(CSV_URL))[1:]}
    assert (rows[case.number]["性别"], rows[case.number]["户籍地"]) == ("女", "安宁县青山乡山下村")
    assert (rows[accusation.number]["性别"], rows[accusation.number]["户籍地"]) == ("男", "浙江省杭州市西湖区")
    [shielded] = [dict(zip(HEADER, r)) for r in csv_rows(login("cg_chengban").get(CSV_URL))[1:]]
    assert (shielded["信访人"], shielded["性别"], shielded["户籍地"]) == (SHIELDED, "", "")
    assert "341122198503154327" not in str(rows)


def test_no_id_number_phone_or_address_is_in_either_file_not_even_masked(login, register_case):
    register_case(petitioners=[PERSON])
    client = login("dengji")  # a registrar who may reveal them on the case page: still not in a file
    csv_bytes = b"".join(client.get(CSV_URL).streaming_content)
    xlsx = client.get(XLSX_URL).content
    xlsx_cells = "".join(str(v) for row in xlsx_rows(client.get(XLSX_URL)) for v in row)

    assert "欧阳明远".encode() in csv_bytes and "欧阳明远" in xlsx_cells  # the name is there
    for value in [PERSON["id_number"], PERSON["phone"], PERSON["address"], mask_id(PERSON["id_number"]),
                  mask_phone(PERSON["phone"]), mask_address(PERSON["address"]), "梧桐巷", PERSON["id_number"][-4:]]:
        assert value.encode() not in csv_bytes, value
        assert value not in xlsx_text(xlsx) and value not in xlsx_cells, value


@pytest.mark.parametrize("title", ["=HYPERLINK(\"http://x.example\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)"])
def test_cells_that_a_spreadsheet_would_run_as_formulas_are_prefixed(title, login, register_case):
    register_case(title=title)
    client = login("dengji")
    assert csv_rows(client.get(CSV_URL))[1][6] == "'" + title
    book = openpyxl.load_workbook(io.BytesIO(client.get(XLSX_URL).content))
    cell = book.active.cell(row=2, column=7)
    assert cell.value == "'" + title and cell.data_type == "s"


def test_an_export_past_the_row_limit_is_refused_not_cut_short_and_not_recorded(login, register_case, settings):
    settings.CASE_EXPORT_MAX_ROWS = 2
    for i in range(3):
        register_case(title=f"第{i}件")
    client = login("dengji")

    for url in [CSV_URL, XLSX_URL]:
        response = client.get(url)
        text = response.content.decode()
        assert response.status_code == 400
        assert "一次最多导出2件" in text and "共3件" in text and "请缩小筛选范围" in text and "narrow the filters" not in text  # the page: Chinese only
    assert not AuditEntry.objects.filter(action="case.export").exists()
    # The page says so before anyone clicks; narrowed to two, it exports.
    assert "超过一次导出的上限 2 件" in client.get(reverse("web:search")).content.decode()
    assert len(csv_rows(client.get(CSV_URL, {"q": "第0件"}))) == 2


def make_cases(register_case, people, n, start=0):
    for i in range(start, start + n):
        case = register_case(title=f"第{i}件", channel=["letter", "visit", "phone"][i % 3], category="0101" if i % 2 else None,
                             headcount=2, petitioners=[{"name": f"甲{i}"}, {"name": f"乙{i}"}])
        if i % 4 == 0:
            perform(case=case, action="accept", actor=people["dengji"])
        if i % 5 == 0:
            register_case(title=f"第{i}件再来", case=case.number, petitioners=[{"name": f"丙{i}"}])


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_the_export_runs_the_same_number_of_queries_for_10_and_60_cases(url, login, register_case, people):
    client = login("dengji")
    client.get(reverse("web:search"))  # the session's first request does more (second factor, session save)

    def export():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            content = b"".join(response.streaming_content) if response.streaming else response.content
        return len(queries), content

    make_cases(register_case, people, 10)
    ten, content = export()
    assert content
    make_cases(register_case, people, 50, start=10)
    sixty, content = export()
    assert sixty == ten
    rows = csv_rows(client.get(CSV_URL))
    assert len(rows) == 61 and any(r[7] == "甲5、乙5、丙5" for r in rows)


def test_every_export_is_recorded_before_the_file_with_filters_rows_and_format(login, register_case):
    register_case()
    register_case(title="建议增设公交站", kind="suggestion")
    client = login("dengji")

    response = client.get(XLSX_URL, {"kind": "grievance", "received_from": "2020-01-01", "page": "3"}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="case.export")
    assert entry.actor.username == "dengji" and entry.ip == "10.0.0.7"
    assert (entry.object_type, entry.object_id) == ("cases", "")
    assert entry.detail == {"filters": {"kind": "grievance", "received_from": "2020-01-01"}, "rows": 1, "format": "xlsx"}


def test_anonymous_is_sent_to_log_in_and_a_user_without_a_unit_is_refused(client, people):
    for url in [CSV_URL, XLSX_URL]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
    lost = people["dengji"]
    lost.unit = None
    lost.save(update_fields=["unit"])
    client.force_login(lost)
    response = client.get(CSV_URL)
    assert response.status_code == 403 and "尚未设置所属单位" in response.content.decode()
    assert not AuditEntry.objects.filter(action="case.export").exists()
