"""The documents of a written reply (the signed opinion, a settlement agreement) are the
petitioner's: whoever proved the query code (and the last four digits) downloads them
from the follow page or the API, as a download, counted and audited. Nothing else is
served: not the petition's material, not another case's documents."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinfang.audit.models import AuditEntry
from xinfang.cases.services import perform
from xinfang.intake.models import Attachment
from xinfang.cases.attachments import attach
from xinfang.lib.errors import NotAllowed
from xinfang.portal import services

from xinfang.tests.answer import answer
from .conftest import REPLY

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf(name="处理意见书.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def answered(register_case, people):
    """A letter answered in writing with its signed opinion attached, and a code for its
    petitioner (phone ending 0001). The letter's own scan is attached to the petition."""
    case = register_case()
    attach(case=case, petition=case.petitions.first(), upload=pdf("来信扫描件.pdf"), actor=people["dengji"])
    perform(case=case, action="accept", actor=people["dengji"])
    perform(case=case, action="reply", actor=people["fuzeren"], documents=[pdf()], **REPLY)
    receipt = services.issue_code(case=case, actor=people["dengji"])
    document = Attachment.objects.get(case=case, reply__isnull=False)
    return receipt, document


def follow(client, receipt, verify="0001"):
    assert client.post("/portal/follow/", {"code": receipt.code, "verify": verify}).status_code == 302
    return client.get("/portal/follow/").content.decode()


def test_the_follow_page_lists_the_reply_document_and_serves_it_as_a_download(answered, client):
    receipt, document = answered
    page = follow(client, receipt)
    assert "处理意见书.pdf" in page and f"/portal/follow/documents/{document.pk}/" in page
    assert "来信扫描件.pdf" not in page  # the petition's material is not a reply document

    response = client.get(f"/portal/follow/documents/{document.pk}/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == PDF
    entry = AuditEntry.objects.filter(action="attachment.download").latest("seq")
    assert entry.actor is None and entry.object_id == str(document.pk) and entry.detail["by"] == "petitioner"


def test_without_proof_there_is_nothing_to_download(answered, client):
    receipt, document = answered
    assert client.get(f"/portal/follow/documents/{document.pk}/").status_code == 404


def test_a_petition_attachment_is_not_served_even_to_the_petitioner(answered, client):
    receipt, document = answered
    follow(client, receipt)
    scan = Attachment.objects.get(case=receipt.case, petition__isnull=False)
    assert client.get(f"/portal/follow/documents/{scan.pk}/").status_code == 404


def test_another_cases_code_does_not_open_this_cases_document(answered, register_case, people, client):
    receipt, document = answered
    other = services.issue_code(case=register_case(title="另一件事"), actor=people["dengji"])
    follow(client, other)
    assert client.get(f"/portal/follow/documents/{document.pk}/").status_code == 404


def test_the_api_serves_the_document_to_the_code_and_the_last_four_only(answered, client, register_case, people):
    receipt, document = answered
    body = client.get(f"/api/v1/public/cases/{receipt.code}", {"verify": "0001"}).json()
    assert body["replies"][0]["documents"] == [{"id": document.pk, "name": "处理意见书.pdf", "content_type": "application/pdf",
                                                "size": len(PDF)}]
    assert "来信扫描件" not in json.dumps(body, ensure_ascii=False)
    url = f"/api/v1/public/cases/{receipt.code}/documents/{document.pk}"

    ok = client.get(url, {"verify": "0001"})
    assert ok.status_code == 200 and ok["Content-Disposition"].startswith("attachment;") and ok["X-Content-Type-Options"] == "nosniff"
    assert client.get(url).status_code == 422  # the last four are required
    assert client.get(url, {"verify": "9999"}).status_code == 404
    scan = Attachment.objects.get(case=receipt.case, petition__isnull=False)
    assert client.get(f"/api/v1/public/cases/{receipt.code}/documents/{scan.pk}", {"verify": "0001"}).status_code == 404
    other = services.issue_code(case=register_case(title="另一件事"), actor=people["dengji"])
    assert client.get(f"/api/v1/public/cases/{other.code}/documents/{document.pk}", {"verify": "0001"}).status_code == 404


def test_downloads_are_counted_with_the_follows(answered, client, settings):
    receipt, document = answered
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "follow_ip": "3/1h"}
    follow(client, receipt)  # one
    assert client.get(f"/portal/follow/documents/{document.pk}/").status_code == 200  # two
    assert client.get(f"/portal/follow/documents/{document.pk}/").status_code == 200  # three
    assert client.get(f"/portal/follow/documents/{document.pk}/").status_code == 429


def test_the_accuser_downloads_the_reply_that_the_accused_unit_may_not_see(register_case, people, client, login):
    case = register_case(kind="accusation", title="举报某站所乱收费")
    perform(case=case, action="accept", actor=people["dengji"])
    perform(case=case, action="assign", actor=people["dengji"], unit="341122100")  # 城关镇 handles it
    answer(case, people["cg_fuzeren"], documents=[pdf("查处情况告知书.pdf")], **REPLY)  # reported, accepted by the bureau
    document = Attachment.objects.get(case=case, reply__isnull=False)
    # The shield is for staff: the township may not open a reply written to the accuser...
    assert login("cg_chengban").get(f"/attachments/{document.pk}/").status_code == 404
    with pytest.raises(NotAllowed):
        services.issue_code(case=case, actor=people["cg_fuzeren"])  # ...nor hand out the accuser's code
    # ...the accuser, who proved the code the registering office gave them, may.
    receipt = services.issue_code(case=case, actor=people["dengji"])
    petitioner = client.__class__()
    follow(petitioner, receipt)
    assert petitioner.get(f"/portal/follow/documents/{document.pk}/").status_code == 200


def test_the_staff_reply_form_takes_the_signed_opinion(login, register_case, people, client):
    case = register_case()
    perform(case=case, action="accept", actor=people["dengji"])
    login("fuzeren")
    fields = {f"reply-{k}": v for k, v in REPLY.items()}
    response = client.post(f"/cases/{case.number}/actions/reply/", {**fields, "reply-documents": [pdf()]})
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Attachment.objects.get(case=case, reply__isnull=False)
    assert document.original_name == "处理意见书.pdf" and document.uploaded_by == people["fuzeren"]
    assert "答复文书" in client.get(f"/cases/{case.number}/").content.decode()


def test_a_reply_document_must_be_a_file(register_case, people):
    from xinfang.lib.errors import Invalid

    case = register_case()
    perform(case=case, action="accept", actor=people["dengji"])
    with pytest.raises(Invalid):
        perform(case=case, action="reply", actor=people["fuzeren"], documents=["/etc/passwd"], **REPLY)
    assert not case.replies.exists()
