"""Documents for tests. The steps of a case issue their documents themselves
(cases/paperwork.py): `notice()` and `answer()` return the one the step issued, and make
one (numbered, with a PDF version, shaped as paperwork makes them) only for a case that
never took the step, such as a row built directly in a test."""

import hashlib
import itertools

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from xinfang.documents.kinds import FOR_PETITIONER, SERIES, DocKind, VersionSource
from xinfang.documents.models import Document, DocumentVersion

# A one-page PDF, small enough to read: what a scanned receipt or a generated notice is.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")

_numbers = itertools.count(1)


def notice(case, kind, *, unit=None, actor=None, source="", issued_at=None, for_petitioner=None):
    """A document of `kind` about `case`, numbered, with one generated version (a PDF)."""
    kind = DocKind(kind)
    issued = Document.objects.filter(subject_type=ContentType.objects.get_for_model(case), subject_id=case.pk, kind=kind)
    if source:
        issued = issued.filter(source=source)
    if (existing := issued.order_by("-issued_at", "-id").first()) is not None:
        return existing
    unit = unit or case.current_unit or case.unit
    issued_at = issued_at or timezone.now()
    n = next(_numbers)
    doc = Document.objects.create(
        kind=kind, number=f"安信{SERIES[kind]}〔{issued_at:%Y}〕{n}号", title=kind.label, unit=unit,
        for_petitioner=kind in FOR_PETITIONER if for_petitioner is None else for_petitioner,
        subject_type=ContentType.objects.get_for_model(case), subject_id=case.pk, source=source, issued_at=issued_at,
        issued_by=actor)
    version = DocumentVersion(document=doc, version=1, source=VersionSource.GENERATED, original_name=f"{kind.label}.pdf",
                              content_type="application/pdf", size=len(PDF), sha256=hashlib.sha256(PDF).hexdigest(),
                              created_by=actor, created_at=issued_at)
    version.file.save(f"{kind.value}.pdf", ContentFile(PDF), save=False)
    version.save()
    return doc


def answer(case, *, actor=None):
    """The written answer of the case's latest reply (信访处理意见书, 复查意见书 or 复核意见书)."""
    reply = case.replies.order_by("-replied_at", "-id").first()
    kind = {"handling": DocKind.OPINION, "review": DocKind.REVIEW_OPINION, "re_review": DocKind.RE_REVIEW_OPINION}[reply.stage]
    return notice(case, kind, unit=reply.unit, actor=actor, source=f"reply:{reply.pk}", issued_at=reply.replied_at)


def scan(name="送达回证.pdf", body=PDF):
    """An uploaded scan (what a clerk attaches as proof)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, body, content_type="application/pdf")
