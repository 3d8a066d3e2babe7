"""Archiving a case builds its electronic case file (电子案卷): one PDF of every part in
archive order and a zip of the originals with their checksums; the retention period is
recorded; a part that fails is listed and retried by a rebuild; LibreOffice missing is
a clear error that loses nothing; the accuser shield decides who may download it."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from xinfang.cases import casefile
from xinfang.cases.attachments import attach
from xinfang.cases.models import Case
from xinfang.cases.services import casefile_download_refusal, rebuild_casefile
from xinfang.documents.casefile import OfficeMissing, casefile_of
from xinfang.documents.kinds import DocKind
from xinfang.documents.models import CaseFile
from xinfang.documents.tests.casefile_factories import (NEEDS_OFFICE, corrupt_docx, deliver, docx_bytes, image_bytes,
                                                        make_document, pdf_bytes)
from xinfang.lib.errors import Invalid, NotAllowed, NotFound, WrongState

from .conftest import REPLY

pytestmark = NEEDS_OFFICE


@pytest.fixture(autouse=True)
def media_and_queue(settings, tmp_path, monkeypatch):
    """Files under a temporary directory; the huey task runs at once (immediate mode)."""
    from huey.contrib.djhuey import HUEY

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(HUEY, "immediate", True)


@pytest.fixture
def closed_case(register_case, act, answer_as, people, units):
    """A grievance with a photo and a PDF sent with the letter, three documents (one
    edited: two versions), one delivered by post with a scanned receipt, a reply with
    a signed PDF, an evaluation, closed."""
    case = register_case()
    petition = case.petitions.get()
    attach(case=case, upload=SimpleUploadedFile("现场照片.jpg", image_bytes("JPEG"), "image/jpeg"), actor=people["dengji"], petition=petition)
    attach(case=case, upload=SimpleUploadedFile("病历.pdf", pdf_bytes(2), "application/pdf"), actor=people["dengji"], petition=petition)
    case = act("accept", case, "dengji")
    notice = make_document(case, unit=units["bureau"], kind=DocKind.ACCEPT_NOTICE, by=people["dengji"])
    deliver(notice, by=people["dengji"], proof=image_bytes("JPEG", size=(400, 560)))
    make_document(case, unit=units["bureau"], kind=DocKind.ASSIGN_FORM, by=people["dengji"], versions=2)
    case = act("assign", case, "dengji", unit="341122100")
    signed = SimpleUploadedFile("意见书签章件.pdf", pdf_bytes(1), "application/pdf")
    case = answer_as(case, "cg_fuzeren", documents=[signed], **REPLY)
    make_document(case, unit=units["chengguan"], kind=DocKind.OPINION, by=people["cg_fuzeren"])
    case = act("evaluate", case, "dengji", satisfaction="satisfied", comment="满意")
    return act("close", case, "dengji")


def index_text(row):
    reader = PdfReader(row.pdf.path)
    index = [i for i in row.manifest if i["converted"] == "front"][1]
    return "".join(reader.pages[n - 1].extract_text() for n in range(index["pages"][0], index["pages"][1] + 1)).replace("\n", "").replace(" ", "")


def archive(act, case, who="dengji", capture=None, **params):
    with capture(execute=True):
        return act("archive", case, who, **params)


def test_archiving_builds_one_pdf_of_every_part_and_a_zip_whose_checksums_match_the_originals(
        closed_case, act, django_capture_on_commit_callbacks):
    case = archive(act, closed_case, capture=django_capture_on_commit_callbacks)

    row = casefile_of(case)
    assert row.state == "built" and row.retention == "10y" and row.failures == []
    reader = PdfReader(row.pdf.path)
    assert len(reader.pages) == row.pages == sum(i["pages"][1] - i["pages"][0] + 1 for i in row.manifest)
    front = [i for i in row.manifest if i["converted"] == "front"]
    cover = reader.pages[0].extract_text()
    index = index_text(row)
    assert case.number in cover and "10年" in cover and "安宁县信访局" in cover
    items = row.manifest[len(front):]
    titles = [i["title"] for i in items]
    for title in titles:
        assert title.replace(" ", "") in index
    assert titles[0] == "信访事项登记表" and titles[-1] == "办理记录（时间轴）"
    assert "受理告知书" in titles and "交办单" in titles and "信访处理意见书" in titles and "满意度评价" in titles
    assert any(t.startswith("送达记录") for t in titles) and any(t.startswith("送达凭证") for t in titles)
    assert "刘某" in reader.pages[items[0]["pages"][0] - 1].extract_text()  # the registration form
    assert "11010519491231002X" not in "".join(p.extract_text() for p in reader.pages)  # the ID number masked

    bundle = zipfile.ZipFile(row.bundle.path)
    manifest = json.loads(bundle.read("manifest.json"))
    assert [i["sha256"] for i in manifest["items"]] == [i["sha256"] for i in row.manifest]
    for item in manifest["items"]:
        assert hashlib.sha256(bundle.read(item["name"])).hexdigest() == item["sha256"]
    originals = {a.sha256 for a in case.attachments.all()}
    originals |= {d.current.sha256 for d in casefile.Document.objects.filter(subject_id=case.pk)}
    assert originals <= {i["sha256"] for i in manifest["items"]}
    assert case.events.last().data["retention"] == "10y"


def test_the_archivist_may_choose_the_retention_and_a_wrong_one_is_refused_with_nothing_changed(
        closed_case, act, django_capture_on_commit_callbacks):
    with pytest.raises(Invalid) as caught:
        act("archive", closed_case, "dengji", retention="forever")
    assert "保管期限" in caught.value.message and "retention" in caught.value.fields
    assert Case.objects.get(pk=closed_case.pk).status == "closed" and not CaseFile.objects.exists()

    case = archive(act, closed_case, capture=django_capture_on_commit_callbacks, retention="permanent")
    assert casefile_of(case).retention == "permanent"
    assert "永久" in PdfReader(casefile_of(case).pdf.path).pages[0].extract_text()


def test_a_corrupt_document_is_named_in_the_failures_the_rest_is_kept_and_a_rebuild_after_fixing_it_retries(
        closed_case, act, people, units, django_capture_on_commit_callbacks):
    broken = make_document(closed_case, unit=units["bureau"], kind=DocKind.EXTENSION_NOTICE, body=corrupt_docx(), name="延期告知书.docx")
    case = archive(act, closed_case, capture=django_capture_on_commit_callbacks)

    row = casefile_of(case)
    assert [(f["title"], f["name"].endswith("延期告知书.docx")) for f in row.failures] == [("延期告知书", True)]
    assert "无法读取" in row.failures[0]["reason"]
    assert "延期告知书（转换失败）" in index_text(row)
    assert len(row.manifest) > 10  # everything else is there

    # The clerk uploads a good version; the rebuild converts it.
    from xinfang.documents.models import DocumentVersion
    from django.core.files.base import ContentFile
    body = docx_bytes("延期告知书")
    version = DocumentVersion(document=broken, version=2, source="edited", original_name="延期告知书.docx", size=len(body),
                              content_type=casefile.DOCX, sha256=hashlib.sha256(body).hexdigest())
    version.file.save("fixed.docx", ContentFile(body), save=False)
    version.save()
    with django_capture_on_commit_callbacks(execute=True):
        rebuild_casefile(case=case, actor=people["dengji"])
    rebuilt = casefile_of(case)
    assert rebuilt.failures == [] and rebuilt.pages > row.pages - 1 and CaseFile.objects.count() == 1
    assert rebuilt.built_by == people["dengji"]


def test_without_libreoffice_archiving_still_succeeds_the_error_is_shown_and_a_rebuild_later_builds_it(
        closed_case, act, people, settings, django_capture_on_commit_callbacks):
    good = settings.XINFANG_CASEFILE
    settings.XINFANG_CASEFILE = {**good, "soffice": "/nonexistent/soffice"}
    case = archive(act, closed_case, capture=django_capture_on_commit_callbacks)

    assert case.status == "archived"
    row = casefile_of(case)
    assert row.state == "failed" and not row.pdf and "libreoffice-writer-nogui" in row.error and " / " in row.error
    with pytest.raises(OfficeMissing):
        casefile.build(case)
    with django_capture_on_commit_callbacks(execute=True):
        rebuild_casefile(case=case, actor=people["dengji"])
    row = casefile_of(case)
    assert row.state == "failed" and row.retention == "10y"  # nothing recorded is lost

    settings.XINFANG_CASEFILE = good
    with django_capture_on_commit_callbacks(execute=True):
        rebuild_casefile(case=case, actor=people["dengji"])
    row = casefile_of(case)
    assert row.state == "built" and row.pages > 0 and row.error == ""


def test_only_an_archived_case_has_a_case_file_and_only_its_registrars_and_heads_rebuild_it(
        closed_case, act, people, django_capture_on_commit_callbacks):
    with pytest.raises(WrongState):
        rebuild_casefile(case=closed_case, actor=people["dengji"])
    assert not CaseFile.objects.exists()
    case = archive(act, closed_case, capture=django_capture_on_commit_callbacks)
    built_at = casefile_of(case).built_at
    with pytest.raises(NotAllowed):
        rebuild_casefile(case=case, actor=people["chengban"])  # a handler
    with pytest.raises(NotAllowed):
        rebuild_casefile(case=case, actor=people["zj_fuzeren"])  # a head of a unit the case never went to
    assert casefile_of(case).built_at == built_at


def test_an_accusers_case_file_is_not_downloaded_by_a_unit_the_shield_excludes(
        register_case, act, answer_as, people, django_capture_on_commit_callbacks):
    case = act("assign", act("accept", register_case(kind="accusation", title="举报村干部侵占补偿款"), "dengji"), "dengji", unit="341122100")
    case = answer_as(case, "cg_fuzeren", **REPLY)
    case = act("close", case, "dengji")
    case = archive(act, case, capture=django_capture_on_commit_callbacks)

    assert casefile_of(case).retention == "30y"  # accusations are kept longer by default
    assert casefile_download_refusal(case, people["dengji"]) is None and casefile_download_refusal(case, people["jw_fuzeren"]) is None
    assert casefile_download_refusal(case, people["cg_fuzeren"]).code == "shielded"
    with pytest.raises(NotAllowed):
        rebuild_casefile(case=case, actor=people["cg_fuzeren"])


def test_the_command_builds_the_case_file_and_names_a_case_it_cannot_find(closed_case, act, django_capture_on_commit_callbacks):
    case = archive(act, closed_case, capture=django_capture_on_commit_callbacks)
    first = casefile_of(case).pdf.name
    out = io.StringIO()
    call_command("build_casefile", case.number, stdout=out)
    assert "页" in out.getvalue() and casefile_of(case).pdf.name != first
    with pytest.raises(CommandError, match="找不到事项"):
        call_command("build_casefile", "NO-SUCH-1")
