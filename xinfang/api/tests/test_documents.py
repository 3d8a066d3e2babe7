"""The documents routes: a case's documents, downloading and adding versions, and the
templates an administrator manages."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as WordDocument

from xinfang.api.services import issue_token
from xinfang.cases.services import perform
from xinfang.documents.models import DocumentVersion, Template

pytestmark = pytest.mark.django_db


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user)[0]}"}


def docx(*paragraphs):
    doc = WordDocument()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture
def accepted(people, register_case):
    case = register_case()
    return perform(case=case, action="accept", actor=people["dengji"])


def test_a_case_lists_its_documents_and_each_downloads_as_docx(client, people, accepted):
    answer = client.get(f"/api/v1/documents?case={accepted.number}", **bearer(people["fuzeren"]))
    assert answer.status_code == 200
    [item] = answer.json()
    assert item["kind"] == "accept_notice" and item["kind_label"] == "受理告知书" and item["may_open"]
    assert item["number"].startswith("安宁县信访局信告〔") and item["versions"][0]["source"] == "generated"
    file = client.get(f"/api/v1/documents/{item['id']}/file", **bearer(people["fuzeren"]))
    assert file.status_code == 200 and file["X-Content-Type-Options"] == "nosniff"
    assert file["Content-Type"].endswith("wordprocessingml.document") and "attachment" in file["Content-Disposition"]
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(b"".join(file.streaming_content))).paragraphs)
    assert "刘某：" in text and item["number"] in text


def test_a_case_outside_scope_answers_404_for_its_documents(client, people, accepted):
    assert client.get(f"/api/v1/documents?case={accepted.number}", **bearer(people["qs_fuzeren"])).status_code == 404
    doc_id = client.get(f"/api/v1/documents?case={accepted.number}", **bearer(people["dengji"])).json()[0]["id"]
    answer = client.get(f"/api/v1/documents/{doc_id}/file", **bearer(people["qs_fuzeren"]))
    assert answer.status_code == 404 and "找不到" in answer.json()["error"]["message"]


def test_a_scan_is_added_as_version_two_and_version_one_still_downloads(client, people, accepted):
    doc_id = client.get(f"/api/v1/documents?case={accepted.number}", **bearer(people["dengji"])).json()[0]["id"]
    answer = client.post(f"/api/v1/documents/{doc_id}/versions", {"file": SimpleUploadedFile("盖章.pdf", b"%PDF-1.4\n%%EOF\n"),
                                                                   "source": "scanned", "note": "已盖章"}, **bearer(people["dengji"]))
    assert answer.status_code == 201, answer.json()
    assert answer.json()["version"] == 2 and answer.json()["content_type"] == "application/pdf"
    assert client.get(f"/api/v1/documents/{doc_id}/file", **bearer(people["dengji"]))["Content-Type"] == "application/pdf"
    old = client.get(f"/api/v1/documents/{doc_id}/file?version=1", **bearer(people["dengji"]))
    assert old["Content-Type"].endswith("wordprocessingml.document")


def test_a_version_that_is_not_a_document_is_refused_in_both_languages(client, people, accepted):
    doc_id = client.get(f"/api/v1/documents?case={accepted.number}", **bearer(people["dengji"])).json()[0]["id"]
    answer = client.post(f"/api/v1/documents/{doc_id}/versions", {"file": SimpleUploadedFile("a.txt", b"plain text")},
                         **bearer(people["dengji"]))
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "bad_type"
    assert "仅限" in answer.json()["error"]["message"] and "Only" in answer.json()["error"]["message"]
    assert DocumentVersion.objects.filter(document_id=doc_id).count() == 1


def test_an_administrator_uploads_previews_and_rolls_back_a_template(client, people):
    admin = bearer(people["guanli"])
    first = client.post("/api/v1/documents/templates/accept_notice",
                        {"file": SimpleUploadedFile("红头.docx", docx("一版 {{ petitioner_name }}")), "unit": "341122"}, **admin)
    assert first.status_code == 201, first.json()
    second = client.post("/api/v1/documents/templates/accept_notice",
                         {"file": SimpleUploadedFile("红头.docx", docx("二版 {{ petitioner_name }}")), "unit": "341122"}, **admin)
    assert second.json()["version"] == 2 and second.json()["is_active"]
    listed = client.get("/api/v1/documents/templates?kind=accept_notice", **admin).json()
    assert [t["version"] for t in listed] == [2, 1]
    preview = client.get(f"/api/v1/documents/templates/accept_notice/preview?template={first.json()['id']}", **admin)
    assert preview.status_code == 200
    assert WordDocument(io.BytesIO(preview.content)).paragraphs[0].text == "一版 刘某某"
    rolled = client.post(f"/api/v1/documents/templates/{first.json()['id']}/activate", **admin)
    assert rolled.status_code == 200 and rolled.json()["is_active"]
    assert Template.objects.get(pk=second.json()["id"]).is_active is False


def test_an_unknown_placeholder_answers_422_with_the_allowed_ones(client, people):
    answer = client.post("/api/v1/documents/templates/accept_notice",
                         {"file": SimpleUploadedFile("红头.docx", docx("{{ secret }}")), "unit": "341122"}, **bearer(people["guanli"]))
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "unknown_placeholders"
    assert "petitioner_name" in answer.json()["error"]["fields"]["allowed"]
    assert not Template.objects.exists()


def test_staff_who_are_not_administrators_may_not_manage_templates(client, people):
    assert client.get("/api/v1/documents/templates", **bearer(people["fuzeren"])).status_code == 403
    answer = client.post("/api/v1/documents/templates/accept_notice",
                         {"file": SimpleUploadedFile("红头.docx", docx("x")), "unit": "341122"}, **bearer(people["fuzeren"]))
    assert answer.status_code == 403 and not Template.objects.exists()


def test_the_kinds_list_every_placeholder_with_its_meaning(client, people):
    kinds = {k["kind"]: k for k in client.get("/api/v1/documents/kinds", **bearer(people["dengji"])).json()}
    assert len(kinds) == 14
    assert {"name": "proper_channel", "description": "应当通过的途径（告知的法定途径）"} in kinds["decline_notice"]["fields"]


def test_the_openapi_document_describes_the_documents_routes(client):
    spec = client.get("/api/v1/openapi.json").json()
    routes = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert {("/api/v1/documents", "get"), ("/api/v1/documents/{id}/file", "get"), ("/api/v1/documents/{id}/versions", "post"),
            ("/api/v1/documents/kinds", "get"), ("/api/v1/documents/templates", "get"), ("/api/v1/documents/templates/{kind}", "post"),
            ("/api/v1/documents/templates/{id}/activate", "post"), ("/api/v1/documents/templates/{kind}/preview", "get")} <= routes
    upload = spec["paths"]["/api/v1/documents/templates/{kind}"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert "422" in upload["responses"] and "403" in upload["responses"]
