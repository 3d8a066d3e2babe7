"""Small real files and document rows for the case file tests: a .docx made with
python-docx, a one-page PDF, a JPEG and a PNG made with Pillow, and Document,
DocumentVersion and Delivery rows written directly (documents/services.py `issue()`
replaces `make_document` once it is merged)."""

import datetime
import hashlib
import io
import os
import shutil

import pytest

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from xinfang.documents.casefile import DOCX
from xinfang.documents.kinds import FOR_PETITIONER, DeliveryChannel, DocKind, VersionSource
from xinfang.documents.models import Delivery, Document, DocumentVersion


def docx_bytes(title="受理告知书", text="经审查，你反映的问题属于本机关职责范围，决定予以受理。", paragraphs=3):
    import docx

    document = docx.Document()
    document.add_heading(title, 1)
    for _ in range(paragraphs):
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def corrupt_docx():
    """Looks like a .docx (a zip header) but is not one: LibreOffice cannot load it."""
    return b"PK\x03\x04" + b"\x00broken word file" * 40


def image_bytes(fmt="JPEG", size=(600, 800), color=(200, 220, 240)):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, color)
    ImageDraw.Draw(image).rectangle([50, 50, size[0] - 50, 200], outline="black", width=5)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def pdf_bytes(pages=1):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_numbers = iter(range(1, 1_000_000))


def make_document(subject, *, unit, kind=DocKind.ACCEPT_NOTICE, title=None, body=None, name=None, content_type=DOCX,
                  issued_at=None, by=None, versions=1):
    """A numbered document about `subject` with `versions` file versions (the last current)."""
    n = next(_numbers)
    title = title or DocKind(kind).label
    document = Document.objects.create(
        kind=kind, number=f"测信告〔2026〕{n}号", title=title, unit=unit, for_petitioner=kind in FOR_PETITIONER,
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk, issued_at=issued_at or timezone.now(),
        issued_by=by)
    for v in range(1, versions + 1):
        data = body if body is not None and v == versions else docx_bytes(title, f"{title} 第{v}稿。")
        version = DocumentVersion(document=document, version=v, source=VersionSource.GENERATED if v == 1 else VersionSource.EDITED,
                                  original_name=name or f"{title}.docx", content_type=content_type, size=len(data),
                                  sha256=hashlib.sha256(data).hexdigest(), created_by=by)
        version.file.save(name or f"doc{n}-v{v}.docx", ContentFile(data), save=False)
        version.save()
    return document


def deliver(document, *, by=None, channel=DeliveryChannel.POST, on=None, proof=None):
    delivery = Delivery(document=document, channel=channel, delivered_on=on or datetime.date(2026, 11, 20), recipient="张三",
                        note="挂号信，已签收", recorded_by=by)
    if proof is not None:
        delivery.proof.save("回证.jpg", ContentFile(proof), save=False)
        delivery.proof_name = "送达回证.jpg"
        delivery.proof_sha256 = hashlib.sha256(proof).hexdigest()
    delivery.save()
    return delivery


# Tests that need LibreOffice skip, saying why, only on a developer's machine without it;
# under CI (CI=true, where the Makefile installs it) they run and fail instead.
def _office_missing():
    return shutil.which("soffice") is None and os.environ.get("CI", "").lower() not in ("true", "1")


NEEDS_OFFICE = pytest.mark.skipif(
    _office_missing(), reason="LibreOffice (soffice) is not installed: make office, or apt-get install libreoffice-writer-nogui")
