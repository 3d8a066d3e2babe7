"""The overdue list (逾期未办) one click from 我的工作, the 催办单 issued when first opened
and read back, and the API: /reminders, /reminders/{id}/document, /overdue, /sweeps."""

import datetime
import io

import docx
import pytest

from xinfang.api.tests.conftest import api_as, error_of  # noqa: F401
from xinfang.audit.models import AuditEntry
from xinfang.documents.models import Document
from xinfang.supervision import sweeps
from xinfang.supervision.models import Reminder

from .conftest import TODAY

D = datetime.timedelta


def docx_text(body):
    return "\n".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs)


@pytest.fixture
def swept(case_due, obligation_due, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = case_due(TODAY - D(days=3), title="村道路灯损坏长期未修")
    owed = obligation_due(TODAY - D(days=7))
    sweeps.run()
    return case, owed


@pytest.mark.django_db
def test_my_work_links_to_the_overdue_list_of_the_township(swept, login):
    _case, owed = swept
    page = login("cg_chengban").get("/work/")
    assert 'href="/supervision/overdue/"' in page.content.decode()
    page = login("cg_chengban").get("/supervision/overdue/").content.decode()
    assert "逾期未办" in page and "督办：道路积水整治" in page and "7天" in page and "重点督办" not in page
    assert "一般督办" in page  # escalated from no level to 一般督办 by the 逾期通报
    assert "逾期通报" in page and "安宁县信访局" in page
    assert "村道路灯损坏长期未修" not in page  # the bureau's case is not the township's
    assert 'data-testid="unit-filter"' not in page  # a clerk sees their own unit only


@pytest.mark.django_db
def test_a_supervisor_picks_any_unit_in_scope_and_a_clerk_cannot(swept, login, units):
    page = login("ducha").get(f"/supervision/overdue/?unit={units['chengguan'].pk}").content.decode()
    assert 'data-testid="unit-filter"' in page and "督办：道路积水整治" in page
    own = login("ducha").get("/supervision/overdue/").content.decode()
    assert "村道路灯损坏长期未修" in own and "3天" in own
    refused = login("cg_chengban").get(f"/supervision/overdue/?unit={units['bureau'].pk}")
    assert refused.status_code == 403 and "只能查看本单位" in refused.content.decode()
    outside = login("city_fuzeren").get(f"/supervision/overdue/?unit={units['chengguan'].pk}")
    assert outside.status_code == 200  # the city office oversees the county below it
    assert login("qs_fuzeren").get(f"/supervision/overdue/?unit={units['chengguan'].pk}").status_code == 403
    # the bureau's staff act for the county government: its id is their own list, not a refusal
    assert login("chengban").get(f"/supervision/overdue/?unit={units['county'].pk}").status_code == 200


@pytest.mark.django_db
def test_the_reminder_form_is_issued_when_first_opened_and_reads_back(swept, login, units):
    _case, owed = swept
    reminder = Reminder.objects.get(obligation=owed)
    assert reminder.document is None and Document.objects.count() == 0  # the sweep renders nothing
    response = login("cg_chengban").get(f"/supervision/reminders/{reminder.pk}/document/")
    assert response.status_code == 200
    text = docx_text(b"".join(response.streaming_content))
    assert "信访事项催办单" in text and "城关镇人民政府：" in text and "督办：道路积水整治" in text
    assert "二〇二六年十一月二十五日" in text and "已逾期7天" in text and "安宁县信访局" in text
    reminder.refresh_from_db()
    number = reminder.document.number
    again = login("cg_fuzeren").get(f"/supervision/reminders/{reminder.pk}/document/")
    assert again.status_code == 200 and Document.objects.count() == 1
    reminder.refresh_from_db()
    assert reminder.document.number == number and reminder.document.unit == units["bureau"]
    assert AuditEntry.objects.filter(action="reminder.document").count() == 2
    # another township's head cannot open it, and nothing is issued for them
    assert login("qs_fuzeren").get(f"/supervision/reminders/{reminder.pk}/document/").status_code == 404


@pytest.mark.django_db
def test_the_api_lists_reminders_with_filters_and_serves_the_form(swept, api_as, units):
    case, owed = swept
    township = api_as("cg_chengban")
    found = township.get("/reminders").json()
    assert found["count"] == 1 and found["items"][0]["title"] == "督办：道路积水整治"
    assert found["items"][0]["kind"] == "escalated" and found["items"][0]["from_unit"]["code"] == units["bureau"].code
    supervisor = api_as("ducha")
    assert supervisor.get("/reminders").json()["count"] == 2
    assert supervisor.get("/reminders", {"unit": units["chengguan"].code}).json()["count"] == 1
    assert supervisor.get("/reminders", {"kind": "overdue"}).json()["items"][0]["case"] == case.number
    assert supervisor.get("/reminders", {"since": (TODAY + D(days=1)).isoformat()}).json()["count"] == 0
    bad = supervisor.get("/reminders", {"kind": "soon"})
    assert bad.status_code == 422 and "kind" in bad.json()["error"]["fields"]
    refused = township.get("/reminders", {"unit": units["bureau"].code})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_in_scope"
    assert township.get("/reminders", {"unit": "nope"}).status_code == 404
    reminder = Reminder.objects.get(obligation=owed)
    body = township.get(f"/reminders/{reminder.pk}/document")
    assert body.status_code == 200 and "已逾期7天" in docx_text(b"".join(body.streaming_content))
    other = Reminder.objects.get(case=case, obligation=None)
    assert township.get(f"/reminders/{other.pk}/document").status_code == 404


@pytest.mark.django_db
def test_the_api_overdue_list_and_running_the_sweep(swept, api_as, units):
    case, owed = swept
    late = api_as("cg_chengban").get("/overdue").json()
    assert late["unit"]["code"] == units["chengguan"].code
    assert [(i["what"], i["id"], i["days_overdue"], i["level"]) for i in late["items"]] == [("obligation", owed.pk, 7, "general")]
    mine = api_as("ducha").get("/overdue").json()["items"]
    assert [(i["what"], i["case"], i["days_overdue"]) for i in mine] == [("case", case.number, 3)]
    refused = api_as("cg_chengban").post("/sweeps")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_admin"
    done = api_as("guanli").post("/sweeps")
    assert done.status_code == 200 and done.json()["total"] == 0 and done.json()["horizon"] == "2026-12-07"


@pytest.mark.django_db
def test_the_openapi_document_names_the_routes(api_as):
    paths = api_as().get("/openapi.json").json()["paths"]
    assert {"/api/v1/reminders", "/api/v1/reminders/{id}/document", "/api/v1/overdue", "/api/v1/sweeps"} <= set(paths)
