"""Uploads are judged by content: only real images and PDFs, within the size limit;
images are re-encoded so that no EXIF (GPS position) survives."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xinfang.intake.models import Attachment, Petition
from xinfang.lib.errors import Invalid
from xinfang.portal import uploads

GPS = 0x8825


def jpeg_with_gps():
    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[GPS] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def pdf(body=b""):
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + body + b"\n%%EOF\n"


def test_a_php_file_renamed_jpg_is_refused(submit_online):
    php = SimpleUploadedFile("photo.jpg", b"<?php system($_GET['c']); ?>", content_type="image/jpeg")
    with pytest.raises(Invalid) as err:
        submit_online(files=[php])
    assert "photo.jpg" in err.value.fields["attachments"] and "不是图片或PDF" in err.value.message
    assert not Petition.objects.exists()


def test_an_oversized_pdf_is_refused(submit_online, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("材料.pdf", pdf(b"0" * 2048), content_type="application/pdf")
    with pytest.raises(Invalid) as err:
        submit_online(files=[big])
    assert "超过" in err.value.message and "材料.pdf" in err.value.fields["attachments"]


def test_an_images_gps_metadata_is_stripped(submit_online):
    raw = jpeg_with_gps()
    assert GPS in Image.open(io.BytesIO(raw)).getexif()
    receipt = submit_online(files=[SimpleUploadedFile("现场.jpg", raw, content_type="image/jpeg")])
    stored = Attachment.objects.get(case=receipt.case)
    data = stored.file.read()
    img = Image.open(io.BytesIO(data))
    assert img.format == "JPEG" and img.size == (64, 48)
    assert not img.getexif() and b"Exif" not in data and b"PhoneMaker" not in data
    assert stored.original_name == "现场.jpg" and stored.uploaded_by is None


def test_a_pdf_with_javascript_is_refused():
    with pytest.raises(Invalid) as err:
        uploads.clean(SimpleUploadedFile("a.pdf", pdf(b"<< /S /JavaScript /JS (app.alert(1)) >>")))
    assert "脚本" in err.value.message


def test_a_plain_pdf_and_a_png_are_kept_with_their_real_extension(submit_online):
    png = io.BytesIO()
    Image.new("RGBA", (8, 8)).save(png, "PNG")
    receipt = submit_online(files=[SimpleUploadedFile("scan.PDF", pdf()), SimpleUploadedFile("图.gif", png.getvalue())])
    names = sorted(Attachment.objects.filter(case=receipt.case).values_list("original_name", "content_type"))
    assert names == [("scan.pdf", "application/pdf"), ("图.png", "image/png")]


def test_a_picture_too_large_to_decode_safely_is_refused():
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")  # 48 megapixels, a few kilobytes
    with pytest.raises(Invalid) as err:
        uploads.clean(SimpleUploadedFile("bomb.png", out.getvalue()))
    assert "尺寸过大" in err.value.message


def test_a_truncated_image_is_refused():
    raw = jpeg_with_gps()[:200]
    with pytest.raises(Invalid) as err:
        uploads.clean(SimpleUploadedFile("broken.jpg", raw))
    assert "无法读取" in err.value.message


def test_more_than_five_files_are_refused(settings):
    files = [SimpleUploadedFile(f"{i}.pdf", pdf()) for i in range(6)]
    with pytest.raises(Invalid) as err:
        uploads.clean_all(files)
    assert "最多上传5个" in err.value.message
