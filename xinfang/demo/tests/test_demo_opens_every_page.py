"""Every page README.md names opens for one of the demo's printed accounts (the
administrator `guanli` for 系统管理, the auditor `shenji` for 审计, the supervisor `ducha` for 督查督办, the registrar for the
daily pages), logging in with the demo password; and the administrator can enter next
year's holiday schedule."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from xinfang.calendar.models import CalendarYear, OfficialDay
from xinfang.demo.people import DEMO_PASSWORD

README = Path(__file__).resolve().parents[3] / "README.md"
pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    out = io.StringIO()
    call_command("load_demo", cases=0, stdout=out)
    return out.getvalue()


def signed_in(username):
    client = Client()
    response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, f"{username} cannot log in"
    return client


def opens(client, page):
    """The page answers 200 in the end, not by sending the visitor to a login page."""
    response = client.get(page, follow=True)
    return response.status_code == 200 and not any("login" in url for url, _ in response.redirect_chain)


def test_the_printed_accounts_include_an_administrator_and_an_auditor(demo):
    assert re.search(r"guanli\s+周管理\s+\S+\s+系统管理员", demo)
    assert re.search(r"shenji\s+吕审计\s+\S+\s+审计员", demo)
    assert "系统管理 /admin/（单位、人员、节假日安排）: guanli" in demo and "审计 /audit/: shenji" in demo


def test_every_page_the_readme_names_opens_for_a_demo_account(demo):
    pages = re.findall(r"http://127\.0\.0\.1:8000(/[^\s|)]*)", README.read_text())
    assert "/admin/" in pages and "/audit/" in pages
    accounts = {name: signed_in(name) for name in ("dengji", "guanli", "shenji", "ducha")}
    accounts["anonymous"] = Client()
    for page in sorted(set(pages)):
        opened = [name for name, client in accounts.items() if opens(client, page)]
        assert opened, f"{page} opens for none of the demo accounts"
    assert signed_in("guanli").get("/admin/").status_code == 200
    assert signed_in("shenji").get("/audit/").status_code == 200


def test_the_demo_administrator_enters_a_2027_holiday_schedule(demo):
    admin = signed_in("guanli")
    year = admin.post("/admin/legal_calendar/calendaryear/add/", {"year": 2027, "complete": "on", "note": "国办发明电〔2026〕号"})
    day = admin.post("/admin/legal_calendar/officialday/add/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert year.status_code == 302 and day.status_code == 302
    assert CalendarYear.objects.filter(year=2027).exists() and OfficialDay.objects.filter(date="2027-01-01").exists()
