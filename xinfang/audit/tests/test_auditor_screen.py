"""The auditor searches the record by actor, action, object and dates, and exports what
was found as CSV or Excel; nobody else may; every export is itself recorded."""

import csv
import io

import openpyxl
import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from xinfang.audit.models import AuditEntry
from xinfang.audit.services import record
from xinfang.org.choices import Role
from xinfang.org.sample import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(units, client):
    user = make_user("shenji", units["bureau"], [Role.AUDITOR], password="Xf-audit-pass-2026", display_name="冯审计")
    client.force_login(user)
    return client


@pytest.fixture
def trail(people, register_case):
    from xinfang.cases.services import perform

    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        case = register_case()
    with time_machine.travel("2026-03-05 10:00 +0800", tick=False):
        perform(case=case, action="accept", actor=people["dengji"])
    with time_machine.travel("2026-03-09 10:00 +0800", tick=False):
        record(actor=people["chengban"], action="case.read_personal", obj=case, detail={"number": case.number}, ip="10.0.0.8")
    return case


def seqs(response):
    return [e.seq for e in response.context["page"].object_list]


def test_the_auditor_role_exists_with_its_chinese_name(db):
    assert Role.AUDITOR.label == "审计员"
    assert Group.objects.filter(name="auditor").exists()


def test_only_an_auditor_may_open_the_screen(client, people, auditor):
    assert auditor.get(reverse("audit:index")).status_code == 200
    client.force_login(people["guanli"])  # the system administrator is not the auditor
    assert client.get(reverse("audit:index")).status_code == 403
    assert client.get(reverse("audit:export", args=["csv"])).status_code == 403


def test_an_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(reverse("audit:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))


def test_the_navigation_shows_the_audit_link_to_auditors_only(client, people, auditor):
    assert 'href="/audit/"' in auditor.get(reverse("web:my_work")).content.decode()
    client.force_login(people["dengji"])
    assert 'href="/audit/"' not in client.get(reverse("web:my_work")).content.decode()


def test_it_filters_by_actor_action_object_and_dates(auditor, trail, people):
    everything = AuditEntry.objects.filter(action__in=["petition.register", "case.accept", "case.read_personal"])
    register, accept, read = (everything.get(action=a) for a in ["petition.register", "case.accept", "case.read_personal"])
    url = reverse("audit:index")

    assert seqs(auditor.get(url, {"actor": "李承办"})) == [read.seq]
    assert seqs(auditor.get(url, {"actor": "dengji", "action": "case.accept"})) == [accept.seq]
    assert seqs(auditor.get(url, {"object": trail.number})) == [read.seq, accept.seq, register.seq]
    assert seqs(auditor.get(url, {"object_type": "cases.case", "date_from": "2026-03-05", "date_to": "2026-03-05"})) == [accept.seq]
    assert seqs(auditor.get(url, {"date_from": "2026-03-06", "date_to": "2026-03-31"})) == [read.seq]


def test_a_reversed_date_range_says_so(auditor, trail):
    response = auditor.get(reverse("audit:index"), {"date_from": "2026-03-09", "date_to": "2026-03-01"})
    assert "截止日期不能早于起始日期" in response.content.decode()
    assert seqs(response) == []


def test_the_csv_export_holds_the_filtered_rows_and_is_recorded(auditor, trail, people):
    response = auditor.get(reverse("audit:export", args=["csv"]), {"object": trail.number}, REMOTE_ADDR="10.0.0.99")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff序号,时间,操作人账号")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r[4] for r in rows[1:]] == ["petition.register", "case.accept", "case.read_personal"]
    assert rows[3][2:4] == ["chengban", "李承办"] and rows[3][8] == "10.0.0.8"
    export = AuditEntry.objects.get(action="audit.export")
    assert export.actor.username == "shenji" and export.ip == "10.0.0.99"
    assert export.detail == {"format": "csv", "filters": {"object": trail.number}, "rows": 3}


def test_the_excel_export_opens_with_the_same_rows(auditor, trail):
    response = auditor.get(reverse("audit:export", args=["xlsx"]), {"action": "case.accept"})

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:3] == ("序号", "时间", "操作人账号")
    assert [row[4] for row in values[1:]] == ["case.accept"]
    assert AuditEntry.objects.filter(action="audit.export", detail__format="xlsx").count() == 1


def test_exported_cells_cannot_run_as_spreadsheet_formulas(auditor, people):
    record(actor=people["dengji"], action="case.accept", object_type="cases.case", object_id="=HYPERLINK(1)")
    text = b"".join(auditor.get(reverse("audit:export", args=["csv"]), {"action": "case.accept"}).streaming_content).decode()
    assert "'=HYPERLINK(1)" in text


def test_an_export_past_the_row_limit_is_refused_and_not_recorded(auditor, trail, settings):
    settings.AUDIT_EXPORT_MAX_ROWS = 2
    response = auditor.get(reverse("audit:export", args=["csv"]))
    assert response.status_code == 400 and "一次最多导出2条" in response.content.decode()
    assert not AuditEntry.objects.filter(action="audit.export").exists()
