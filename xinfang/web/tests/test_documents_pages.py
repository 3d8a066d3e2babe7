"""The case page lists its documents with download and a form for a new version; the
template page lets an administrator upload, preview and roll back."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as WordDocument

from xinfang.cases.services import perform
from xinfang.documents.models import Document, Template

pytestmark = pytest.mark.django_db


def docx(*paragraphs):
    doc = WordDocument()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture
def accepted(people, register_case):
    return perform(case=register_case(), action="accept", actor=people["dengji"])


def test_the_case_page_lists_the_acceptance_notice_and_it_downloads(login, accepted):
    client = login("dengji")
    page = client.get(f"/cases/{accepted.number}/").content.decode()
    notice = Document.objects.get()
    assert "受理告知书" in page and notice.number in page and "上传修改稿/扫描件" in page
    answer = client.get(f"/documents/{notice.pk}/")
    assert answer.status_code == 200 and answer["X-Content-Type-Options"] == "nosniff"
    assert notice.number in "\n".join(p.text for p in WordDocument(io.BytesIO(b"".join(answer.streaming_content))).paragraphs)


def test_a_signed_scan_is_uploaded_from_the_case_page_and_the_old_version_stays(login, accepted):
    client = login("dengji")
    notice = Document.objects.get()
    answer = client.post(f"/documents/{notice.pk}/versions/", {"file": SimpleUploadedFile("盖章.pdf", b"%PDF-1.4\n%%EOF\n"),
                                                               "source": "scanned", "note": "已盖章"}, follow=True)
    assert "已上传第2版（签章扫描件），原版本保留" in answer.content.decode()
    assert list(notice.versions.values_list("version", flat=True)) == [1, 2]


def test_a_wrong_file_is_refused_on_the_page_in_chinese(login, accepted):
    client = login("dengji")
    notice = Document.objects.get()
    answer = client.post(f"/documents/{notice.pk}/versions/", {"file": SimpleUploadedFile("a.txt", b"hello")}, follow=True)
    page = answer.content.decode()
    assert "仅限Word（.docx）、PDF或图片" in page and "Only .docx" not in page
    assert notice.versions.count() == 1


def test_a_version_that_does_not_exist_is_not_found(login, accepted):
    client = login("dengji")
    pk = Document.objects.get().pk
    assert client.get(f"/documents/{pk}/?version=7").status_code == 404
    assert client.get(f"/documents/{pk}/?version=abc").status_code == 404


def test_another_unit_cannot_download_a_document_of_a_case_it_cannot_see(login, accepted):
    assert login("qs_fuzeren").get(f"/documents/{Document.objects.get().pk}/").status_code == 404


def test_an_administrator_uploads_a_template_and_rolls_back(login, units):
    client = login("guanli")
    page = client.get("/documents/templates/")
    assert page.status_code == 200 and "不予受理告知书" in page.content.decode() and "proper_channel" in page.content.decode()
    for text in ("一版 {{ petitioner_name }}", "二版 {{ petitioner_name }}"):
        answer = client.post("/documents/templates/", {"kind": "accept_notice", "unit": "341122", "note": "红头",
                                                       "file": SimpleUploadedFile("红头.docx", docx(text))}, follow=True)
        assert "并启用" in answer.content.decode()
    first, second = Template.objects.order_by("version")
    assert second.is_active
    client.post("/documents/templates/", {"activate": first.pk})
    first.refresh_from_db()
    assert first.is_active
    preview = client.get(f"/documents/templates/accept_notice/preview/?template={second.pk}")
    assert WordDocument(io.BytesIO(preview.content)).paragraphs[0].text == "二版 刘某某"


def test_an_unknown_placeholder_shows_the_allowed_fields_and_saves_nothing(login):
    client = login("guanli")
    answer = client.post("/documents/templates/", {"kind": "accept_notice", "unit": "341122", "note": "我的说明",
                                                   "file": SimpleUploadedFile("红头.docx", docx("{{ secret }}"))})
    page = answer.content.decode()
    assert answer.status_code == 422 and "未知字段" in page and "可用字段" in page and "petitioner_name" in page
    assert 'value="我的说明"' in page  # what was typed is kept
    assert not Template.objects.exists()


def test_the_template_page_is_for_administrators_only(login):
    assert login("fuzeren").get("/documents/templates/").status_code == 403


def test_the_routed_unit_sees_the_accusers_notice_listed_but_cannot_download_it(login, people, register_case):
    case = register_case(kind="accusation", title="举报竹岭村村主任", accused_unit="341122200202", petitioners=[{"name": "举报人甲"}])
    case = perform(case=case, action="accept", actor=people["dengji"])
    perform(case=case, action="assign", actor=people["dengji"], unit="341122100")
    notice = Document.objects.get(kind="accept_notice")
    client = login("cg_chengban")
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "检举人信息保密" in page and f'href="/documents/{notice.pk}/"' not in page
    answer = client.get(f"/documents/{notice.pk}/")
    assert answer.status_code == 403 and "检举控告人" in answer.content.decode()
    assert login("dengji").get(f"/documents/{notice.pk}/").status_code == 200
