"""Text that cannot go into a file is cleaned at the door (issue 11, item 3): control
characters (but tab, newline and carriage return), direction overrides and isolates and
zero-width characters are removed at every entry point — the login form, the API, staff
forms, the public site, the admin, the services — and every export writer survives any
string already stored."""

import io

import openpyxl
import pytest
from django import forms
from django.urls import reverse

from xinfang.api.services import issue_token
from xinfang.audit.models import AuditEntry
from xinfang.cases.models import Case, CaseEvent
from xinfang.cases.services import perform
from xinfang.intake.models import Category, Petition, Petitioner
from xinfang.lib import tabular
from xinfang.lib.text import clean_text
from xinfang.org.choices import Role
from xinfang.org.sample import make_user

BAD = "\x08\x0b\x0c\x1b\x7f\x85\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"


def dirty(text):
    """`text` with every character that must go, between its first two characters."""
    return text[:1] + BAD + text[1:]


@pytest.fixture
def auditor(units, client):
    user = make_user("shenji", units["bureau"], [Role.AUDITOR], password="Xf-audit-pass-2026", display_name="冯审计")
    return user


def test_the_cleaning_keeps_tabs_newlines_and_chinese_and_drops_the_rest():
    assert clean_text(dirty("甲\t乙\r\n丙")) == "甲\t乙\r\n丙"
    assert clean_text("a\x00b") == "ab" and clean_text("a\x00b", keep_nul=True) == "a\x00b"
    assert forms.CharField().clean(dirty("张三")) == "张三"  # every Django form: staff, public, login, admin
    assert forms.CharField(widget=forms.PasswordInput).clean("pass\u200bword") == "pass\u200bword"  # checked as typed


def test_a_login_attempt_with_a_control_character_leaves_the_audit_export_working(client, people, auditor):
    client.post("/login/", {"username": dirty("ghost"), "password": "wrong-password-1"})
    token = client.post("/api/v1/auth/token", {"username": dirty("phantom"), "password": "wrong-password-1"},
                        content_type="application/json")
    assert token.status_code in (401, 403, 422)
    failed = list(AuditEntry.objects.filter(action="auth.login_failed").values_list("object_id", flat=True))
    assert "ghost" in failed and "phantom" in failed

    client.force_login(auditor)
    xlsx = client.get(reverse("audit:export", args=["xlsx"]))
    csv = client.get(reverse("audit:export", args=["csv"]))
    assert xlsx.status_code == 200 and csv.status_code == 200
    cells = [c for row in openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True) for c in row]
    assert "ghost" in cells


def test_every_export_writer_survives_text_stored_before(register_case, people, login):
    case = register_case(title="征地补偿款未发放")
    Case.objects.filter(pk=case.pk).update(title=dirty("征地补偿款未发放"))  # stored by some older path
    Petitioner.objects.filter(petition__case=case).update(name=dirty("刘某"))
    client = login("dengji")
    xlsx = client.get(reverse("web:case_export_xlsx"))
    assert xlsx.status_code == 200
    cells = [c for row in openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True) for c in row]
    assert any(isinstance(c, str) and c.startswith("征") and "地补偿款未发放" in c for c in cells)
    assert client.get(reverse("web:case_export_csv")).status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(tabular.xlsx_bytes([dirty("标题")], [[dirty("内容"), "\x00\x01"]])))


def test_the_api_registration_and_actions_store_clean_text(client, people, units):
    auth = {"Authorization": f"Bearer {issue_token(user=people['dengji'])[0]}"}
    answer = client.post("/api/v1/petitions", {
        "channel": "letter", "receiving_unit": units["bureau"].code, "title": dirty("渠道堵塞"), "kind": "grievance",
        "content": dirty("村口渠道堵塞。\n请求疏通。"), "petitioners": [{"name": dirty("刘某"), "address": dirty("东街1号")}]},
        content_type="application/json", headers=auth)
    assert answer.status_code == 201, answer.content
    number = answer.json()["case"]["number"]
    note = client.post(f"/api/v1/cases/{number}/actions/note", {"note": dirty("已电话联系")}, content_type="application/json",
                       headers=auth)
    assert note.status_code == 200, note.content
    petition = Petition.objects.get(case__number=number)
    assert (petition.title, petition.content) == ("渠道堵塞", "村口渠道堵塞。\n请求疏通。")
    assert [(p.name, p.address) for p in petition.petitioners.all()] == [("刘某", "东街1号")]
    assert CaseEvent.objects.get(case__number=number, action="note").note == "已电话联系"


def test_the_staff_form_the_public_site_and_the_admin_store_clean_text(client, people, units, login):
    from xinfang.portal import services as portal
    from xinfang.portal.captcha import new_challenge
    from xinfang.web.tests.test_register_form import form_data

    staff = login("dengji")
    page = staff.post(reverse("web:register"), form_data(title=dirty("豆腐坊扰民"), **{"p-0-name": dirty("刘某")}))
    assert page.status_code == 302
    assert Petition.objects.filter(title="豆腐坊扰民", petitioners__name="刘某").exists()

    challenge = new_challenge()
    receipt = portal.submit(data=portal.SubmissionIn(
        kind="grievance", name=dirty("王某"), phone="13800000009", unit="341122-XFJ", title=dirty("路灯不亮"),
        content=dirty("杏林坊一带路灯常年不亮，夜间老人出行摔倒多次，请求尽快修复。"), consent=True), captcha_key=challenge.key, captcha_answer=challenge.answer, ip="203.0.113.7")
    assert (receipt.submission.petition.title, receipt.submission.petition.content) == ("路灯不亮", "杏林坊一带路灯常年不亮，夜间老人出行摔倒多次，请求尽快修复。")

    admin = people["guanli"]
    admin.is_superuser = admin.is_staff = True
    admin.save(update_fields=["is_superuser", "is_staff"])
    staff.force_login(admin)
    category = Category.objects.filter(parent__isnull=True).first()
    staff.post(reverse("admin:intake_category_change", args=[category.pk]), {
        "name": dirty("土地征收"), "code": category.code, "parent": "", "sort_order": "0", "is_active": "on"})
    category.refresh_from_db()
    assert category.name == "土地征收"
