"""A document's file replaced by an edited or a signed-and-scanned version: the old
versions stay; what is not a .docx, PDF or image, or too large, is refused."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinfang.audit.models import AuditEntry
from xinfang.documents.kinds import DocKind, VersionSource
from xinfang.documents.models import Document, DocumentVersion
from xinfang.documents.services import add_version, issue
from xinfang.lib.errors import Invalid

from .conftest import docx_bytes, text_of

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


@pytest.fixture
def document(units, people):
    # Any model instance is a subject; a unit stands in for a case here.
    return issue(DocKind.BULLETIN, unit=units["bureau"], subject=units["county"], actor=people["dengji"],
                 context={"title": "关于信访工作的通报", "to_unit_name": "各乡镇", "body": "正文", "requirements": "要求"})


def test_issuing_numbers_fills_and_stores_version_one(document, people):
    assert re.fullmatch(r"安宁县信访局信通报〔20\d\d〕1号", document.number)
    version = document.current
    assert (version.version, version.source, version.created_by) == (1, VersionSource.GENERATED, people["dengji"])
    with version.file.open("rb") as handle:
        text = text_of(handle.read())
    assert document.number in text and "关于信访工作的通报" in text
    assert document.context["doc_number"] == document.number and not document.for_petitioner
    assert AuditEntry.objects.filter(action="document.issue", object_id=str(document.pk)).exists()


def test_an_edited_docx_becomes_the_current_version_and_the_generated_one_is_kept(document, people):
    edited = add_version(document, SimpleUploadedFile("改.docx", docx_bytes("修改后的通报")), actor=people["dengji"], note="改错字")
    scanned = add_version(document, SimpleUploadedFile("盖章.pdf", PDF), actor=people["dengji"], source=VersionSource.SCANNED)
    assert (edited.version, edited.source, edited.note) == (2, VersionSource.EDITED, "改错字")
    assert (scanned.version, scanned.content_type) == (3, "application/pdf")
    assert document.current == scanned
    assert list(document.versions.values_list("version", flat=True)) == [1, 2, 3]
    with document.versions.get(version=1).file.open("rb") as handle:
        assert "关于信访工作的通报" in text_of(handle.read())


def test_a_scanned_image_is_accepted(document, people):
    item = add_version(document, SimpleUploadedFile("扫描.png", PNG), actor=people["dengji"], source=VersionSource.SCANNED)
    assert item.content_type == "image/png"


@pytest.mark.parametrize("name, body, source, code", [
    ("说明.txt", "纯文本".encode(), VersionSource.EDITED, "bad_type"),
    ("伪装.pdf", b"MZ\x90\x00 an executable", VersionSource.SCANNED, "bad_type"),
    ("空.pdf", b"", VersionSource.SCANNED, "empty"),
    ("生成.docx", None, VersionSource.GENERATED, None),
])
def test_a_version_that_is_not_a_document_is_refused_and_nothing_is_added(document, people, name, body, source, code):
    body = docx_bytes("x") if body is None else body
    with pytest.raises(Invalid) as caught:
        add_version(document, SimpleUploadedFile(name, body), actor=people["dengji"], source=source)
    assert code is None or caught.value.code == code
    assert DocumentVersion.objects.filter(document=document).count() == 1


def test_a_version_over_the_limit_of_its_type_is_refused(document, people, settings):
    settings.DOCUMENT_VERSION_MAX_BYTES = {"application/pdf": 20, "default": 10_000_000}
    with pytest.raises(Invalid) as caught:
        add_version(document, SimpleUploadedFile("盖章.pdf", PDF), actor=people["dengji"], source=VersionSource.SCANNED)
    assert caught.value.code == "too_large"
    add_version(document, SimpleUploadedFile("改.docx", docx_bytes("短")), actor=people["dengji"])  # a docx is within its own limit
    assert Document.objects.get(pk=document.pk).versions.count() == 2


def test_a_document_issued_in_a_bulk_load_is_filled_when_first_asked_for(units, people):
    from xinfang.documents.services import current_version, deferred_rendering

    with deferred_rendering():
        document = issue(DocKind.BULLETIN, unit=units["bureau"], subject=units["county"], actor=people["dengji"],
                         context={"title": "迟些生成的通报", "to_unit_name": "各乡镇", "body": "正文", "requirements": "要求"})
    assert not document.versions.exists()
    item = current_version(document)
    assert (item.version, item.source, item.created_at) == (1, VersionSource.GENERATED, document.issued_at)
    with item.file.open("rb") as handle:
        assert "迟些生成的通报" in text_of(handle.read())
    assert current_version(document) == item and document.versions.count() == 1  # filled once
    edited = add_version(document, SimpleUploadedFile("改.docx", docx_bytes("改")), actor=people["dengji"])
    assert edited.version == 2
