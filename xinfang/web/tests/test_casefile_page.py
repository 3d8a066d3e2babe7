"""The case page of an archived case shows its case file: status, retention, pages, the
parts that failed with their reasons, downloads, and 重新生成案卷; the archive form asks
for the retention. A unit the accuser shield excludes sees the status, not the files."""

import pytest

from xinfang.cases.services import perform
from xinfang.conftest import PASSWORD
from xinfang.documents.casefile import casefile_of
from xinfang.documents.kinds import DocKind
from xinfang.documents.tests.casefile_factories import NEEDS_OFFICE, corrupt_docx, make_document

pytestmark = NEEDS_OFFICE

REPLY = dict(outcome="support", request_summary="发放补偿款", facts="经核实补偿款未发放", opinion="责成十日内发放")


@pytest.fixture(autouse=True)
def media_and_queue(settings, tmp_path, monkeypatch):
    from huey.contrib.djhuey import HUEY

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(HUEY, "immediate", True)


def closed(register_case, people, **fields):
    case = register_case(**fields)
    for action, who, params in [("accept", "dengji", {}), ("assign", "dengji", {"unit": "341122100"}), ("start", "cg_chengban", {}),
                                ("report", "cg_fuzeren", {**REPLY, "summary": "已核实"}), ("approve", "fuzeren", {}),
                                ("close", "dengji", {})]:
        case = perform(case=case, action=action, actor=people[who], **params)
    return case


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def test_archiving_from_the_page_with_a_retention_then_the_page_shows_the_case_file_and_its_failures(
        client, register_case, people, units, django_capture_on_commit_callbacks):
    case = closed(register_case, people)
    make_document(case, unit=units["bureau"], kind=DocKind.EXTENSION_NOTICE, body=corrupt_docx(), name="延期告知书.docx")
    login(client, "dengji")
    form = client.get(f"/cases/{case.number}/actions/archive/").content.decode()
    assert "保管期限" in form and "永久" in form
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/cases/{case.number}/actions/archive/", {"archive-retention": "permanent", "archive-note": "归档"})
    assert answer.status_code == 302

    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "电子案卷" in page and "已生成" in page and "永久" in page
    assert "1 件转换失败" in page and "延期告知书" in page and "文件无法读取" in page and "could not be read" not in page
    assert "下载案卷 PDF" in page and "重新生成案卷" in page
    pdf = client.get(f"/cases/{case.number}/casefile/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")

    before = casefile_of(case).built_at
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/cases/{case.number}/casefile/rebuild/").status_code == 302
    assert casefile_of(case).built_at > before


def test_a_shielded_unit_sees_the_status_but_no_download_and_a_missing_libreoffice_is_explained(
        client, register_case, people, settings, django_capture_on_commit_callbacks):
    settings.XINFANG_CASEFILE = {**settings.XINFANG_CASEFILE, "soffice": "/nonexistent/soffice"}
    case = closed(register_case, people, kind="accusation", title="举报村干部侵占补偿款")
    with django_capture_on_commit_callbacks(execute=True):
        perform(case=case, action="archive", actor=people["dengji"])

    page = login(client, "dengji").get(f"/cases/{case.number}/").content.decode()
    assert "生成失败" in page and "libreoffice-writer-nogui" in page and "重新生成案卷" in page
    client.logout()
    town = login(client, "cg_fuzeren")
    page = town.get(f"/cases/{case.number}/").content.decode()
    assert "电子案卷" in page and "不能下载" in page and "下载案卷 PDF" not in page and 'data-testid="casefile-rebuild"' not in page
    refused = town.get(f"/cases/{case.number}/casefile/pdf/")
    assert refused.status_code == 403 and "保密" in refused.content.decode()
    assert town.post(f"/cases/{case.number}/casefile/rebuild/").status_code == 403
