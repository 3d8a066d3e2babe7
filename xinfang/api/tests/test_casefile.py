"""GET /cases/{number}/casefile (status), GET …/casefile/pdf|zip (downloads, on the audit
record), POST …/casefile/rebuild: only for those who can see the case, and the accuser
shield decides who may download."""

import io
import zipfile

import pytest

from xinfang.audit.models import AuditEntry
from xinfang.cases.services import perform
from xinfang.documents.tests.casefile_factories import NEEDS_OFFICE

from .conftest import error_of

pytestmark = NEEDS_OFFICE

REPLY = dict(outcome="support", request_summary="发放补偿款", facts="经核实补偿款未发放", opinion="责成十日内发放")


@pytest.fixture(autouse=True)
def media_and_queue(settings, tmp_path, monkeypatch):
    from huey.contrib.djhuey import HUEY

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(HUEY, "immediate", True)


def archived(register_case, people, capture, **fields):
    case = register_case(**fields)
    for action, who, params in [("accept", "dengji", {}), ("assign", "dengji", {"unit": "341122100"}), ("start", "cg_chengban", {}),
                                ("report", "cg_fuzeren", {**REPLY, "summary": "已核实"}), ("approve", "fuzeren", {}),
                                ("close", "dengji", {})]:
        case = perform(case=case, action=action, actor=people[who], **params)
    with capture(execute=True):
        return perform(case=case, action="archive", actor=people["dengji"], retention="30y")


def test_the_status_and_both_downloads_for_a_unit_that_may_see_the_case(register_case, people, api_as,
                                                                         django_capture_on_commit_callbacks):
    case = archived(register_case, people, django_capture_on_commit_callbacks)
    api = api_as("dengji")

    status = api.get(f"/cases/{case.number}/casefile").json()
    assert status["state"] == "built" and status["retention"] == "30y" and status["retention_label"] == "30年"
    assert status["pages"] > 2 and status["failures"] == [] and status["may_download"] and status["may_rebuild"]
    pdf = api.get(f"/cases/{case.number}/casefile/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    bundle = api.get(f"/cases/{case.number}/casefile/zip")
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(b"".join(bundle.streaming_content))).namelist()
    assert AuditEntry.objects.filter(action="casefile.download").count() == 2

    # Seen from 青山乡, which the case never reached: as if it did not exist.
    outside = api_as("qs_fuzeren")
    assert outside.get(f"/cases/{case.number}/casefile").status_code == 404
    assert outside.get(f"/cases/{case.number}/casefile/pdf").status_code == 404
    assert outside.post(f"/cases/{case.number}/casefile/rebuild").status_code == 404


def test_rebuild_answers_202_and_refuses_a_handler_and_a_case_not_archived(register_case, people, api_as,
                                                                           django_capture_on_commit_callbacks):
    case = archived(register_case, people, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        answer = api_as("dengji").post(f"/cases/{case.number}/casefile/rebuild")
    assert answer.status_code == 202 and answer.json()["number"] == case.number
    assert api_as("dengji").get(f"/cases/{case.number}/casefile").json()["state"] == "built"
    assert AuditEntry.objects.filter(action="case.casefile_rebuild").count() == 1

    refused = api_as("chengban").post(f"/cases/{case.number}/casefile/rebuild")
    assert refused.status_code == 403 and AuditEntry.objects.filter(action="case.casefile_rebuild").count() == 1
    open_case = register_case()
    assert error_of(api_as("dengji").get(f"/cases/{open_case.number}/casefile"))["code"] == "no_casefile"
    assert error_of(api_as("dengji").post(f"/cases/{open_case.number}/casefile/rebuild"))["code"] == "not_archived"
    assert error_of(api_as("dengji").get(f"/cases/{open_case.number}/casefile/pdf"))["code"] == "not_built"


def test_an_accusations_case_file_is_not_downloaded_by_the_unit_the_shield_excludes(register_case, people, api_as,
                                                                                   django_capture_on_commit_callbacks):
    case = archived(register_case, people, django_capture_on_commit_callbacks, kind="accusation", title="举报村干部侵占补偿款")
    town = api_as("cg_fuzeren")
    status = town.get(f"/cases/{case.number}/casefile").json()
    assert status["state"] == "built" and not status["may_download"] and not status["may_rebuild"]
    refused = town.get(f"/cases/{case.number}/casefile/pdf")
    assert refused.status_code == 403 and error_of(refused)["code"] == "shielded"
    assert not AuditEntry.objects.filter(action="casefile.download").exists()
    assert api_as("dengji").get(f"/cases/{case.number}/casefile/pdf").status_code == 200  # the registering bureau
