import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinfang.intake.models import Attachment, Petition
from xinfang.intake.services import PetitionIn, register
from xinfang.lib.errors import Invalid

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def petition(units, **kw):
    return PetitionIn(channel="letter", receiving_unit=units["bureau"], title="附件测试", content="见附件", kind="suggestion", **kw)


def test_a_scanned_letter_is_stored_with_its_real_type(people, units):
    p, case = register(actor=people["dengji"], data=petition(units),
                       files=[SimpleUploadedFile("来信.pdf", PDF), SimpleUploadedFile("现场.png", PNG)])
    types = set(p.attachments.values_list("content_type", flat=True))
    assert types == {"application/pdf", "image/png"}
    assert all(a.case_id == case.pk and len(a.sha256) == 64 for a in p.attachments.all())


def test_a_script_named_like_a_picture_is_refused_and_nothing_is_saved(people, units, tmp_path):
    with pytest.raises(Invalid) as err:
        register(actor=people["dengji"], data=petition(units),
                 files=[SimpleUploadedFile("ok.pdf", PDF), SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200)])
    assert "photo.jpg" in err.value.message
    assert not Petition.objects.exists() and not Attachment.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # the PDF stored first was removed


def test_an_oversized_file_is_refused(people, units, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(Invalid) as err:
        register(actor=people["dengji"], data=petition(units), files=[SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)])
    assert "big.pdf" in err.value.message and "1.0 KB" in err.value.message
    assert not Petition.objects.exists()


def test_an_empty_file_is_refused(people, units):
    with pytest.raises(Invalid):
        register(actor=people["dengji"], data=petition(units), files=[SimpleUploadedFile("empty.pdf", b"")])
