"""Delivery (送达) of a document to the petitioner: recording it, correcting it, and which
record is current. Generic over subjects: the app that owns the subject (cases) decides
who may record, locks its subject, writes its timeline and audit entry, and what a
delivery starts (the review windows count from the day the written answer was received,
Arts. 35-36).

A second record for one document is a correction: it needs a reason; the record it
replaces stays, with `superseded_at` set (the partial unique constraint keeps one
current record per document, so two clerks correcting at once cannot both win)."""

import datetime
import errno
import hashlib
import logging

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from xinfang.lib.errors import Conflict, Invalid, ServiceError, StorageFull

from .kinds import DeliveryChannel
from .models import Delivery

logger = logging.getLogger(__name__)

# What a scanned receipt (送达回证) or signed acknowledgement may be: a scan or a photo.
PROOF_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/tiff", "image/webp", "image/heic", "image/bmp"}

# What each channel must be proved by (docs/deadlines.md, "Delivery"):
#   post        the scanned delivery receipt (送达回证) signed by the recipient;
#   in person   a scan of the signed receipt, or at least the name of who signed for it;
#   announced   where and how it was announced (the note);
#   online      nothing more: the system published it on the follow page (and the
#               petitioner's own download is recorded by the system itself).
CHANNEL_RULES = {
    DeliveryChannel.POST: "邮寄送达须上传送达回证扫描件 / Delivery by post needs the scanned delivery receipt (送达回证).",
    DeliveryChannel.IN_PERSON: "直接送达须上传签收回执扫描件或填写签收人 / Delivery in person needs the signed receipt or the recipient's name.",
    DeliveryChannel.ANNOUNCED: "公告送达须在说明中写明公告的方式和地点 / An announced delivery needs a note of where it was announced.",
}


def current(document):
    """The current delivery record of `document`, or None (待送达)."""
    return document.deliveries.filter(superseded_at__isnull=True).first()


def current_for(document_ids):
    """{document id: its current delivery} for many documents in one query."""
    return {d.document_id: d for d in Delivery.objects.filter(document_id__in=list(document_ids), superseded_at__isnull=True)
            .select_related("recorded_by")}


def with_current(documents):
    """`documents` (a Document queryset) annotated with their current delivery's
    `delivered_on` and `delivery_channel` (None: 待送达), in the same query."""
    now = Delivery.objects.filter(document=OuterRef("pk"), superseded_at__isnull=True)
    return documents.annotate(delivered_on=Subquery(now.values("delivered_on")[:1]),
                              delivery_channel=Subquery(now.values("channel")[:1]))


def history_for(document_ids):
    """{document id: [every delivery record, oldest first]} in one query."""
    out = {}
    for d in Delivery.objects.filter(document_id__in=list(document_ids)).select_related("recorded_by").order_by("recorded_at", "id"):
        out.setdefault(d.document_id, []).append(d)
    return out


def parse_day(value, name="delivered_on"):
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise Invalid("送达日期格式不正确 / The delivery date is not a valid date.", fields={name: "YYYY-MM-DD"})


def _proof_body(proof):
    """The bytes of an uploaded proof and its real type, or an Invalid naming the field."""
    name = getattr(proof, "name", "") or "送达凭证"
    size = getattr(proof, "size", None)
    limit = settings.ATTACHMENT_MAX_BYTES
    if size is None or size > limit:
        shown = filesizeformat(limit).replace("\xa0", " ")
        raise Invalid(f"送达凭证“{name}”超过{shown}的大小限制 / The proof is larger than {shown}.", fields={"proof": name})
    if size == 0:
        raise Invalid(f"送达凭证“{name}”是空文件 / The proof file is empty.", fields={"proof": name})
    body = proof.read()
    kind = filetype.guess(body[:8192])
    if kind is None or kind.mime not in PROOF_TYPES:
        raise Invalid(f"送达凭证“{name}”应为扫描件（PDF或图片）/ The proof must be a scan (PDF or an image).", fields={"proof": name})
    return name, body


def check(document, *, channel, delivered_on, recipient="", note="", proof=None, today=None):
    """The refusals of a delivery record, before anything is written: the document is
    one meant for the petitioner, the channel is known and proved as it must be, and
    the date is neither before the document was issued nor in the future. Returns the
    date; raises Invalid with every field that is wrong."""
    errors = {}
    if not document.for_petitioner:
        raise Invalid("该文书不送达信访人，无需登记送达 / This document does not go to the petitioner; it has no delivery.",
                      code="not_for_petitioner", fields={"document": "内部文书 / An internal document."})
    if channel not in DeliveryChannel.values:
        errors["channel"] = "送达方式应为网上、邮寄、直接或公告送达 / Channel: online, post, in_person or announced."
    day = None
    if delivered_on in (None, ""):
        errors["delivered_on"] = "请填写送达日期 / The delivery date is required."
    else:
        day = parse_day(delivered_on)
        today = today or timezone.localdate()
        issued = timezone.localdate(document.issued_at)
        if day > today:
            errors["delivered_on"] = "送达日期不能晚于今天 / The delivery date cannot be in the future."
        elif day < issued:
            errors["delivered_on"] = (f"送达日期不能早于文书制发日期（{issued:%Y-%m-%d}） / "
                                      f"The delivery date cannot be before the document was issued ({issued}).")
    if channel == DeliveryChannel.POST and not proof:
        errors["proof"] = CHANNEL_RULES[channel]
    elif channel == DeliveryChannel.IN_PERSON and not proof and not str(recipient or "").strip():
        errors["recipient"] = CHANNEL_RULES[channel]
    elif channel == DeliveryChannel.ANNOUNCED and not str(note or "").strip():
        errors["note"] = CHANNEL_RULES[channel]
    if len(str(recipient or "")) > 100:
        errors["recipient"] = "签收人不超过100字 / At most 100 characters."
    if len(str(note or "")) > 300:
        errors["note"] = "说明不超过300字 / At most 300 characters."
    if errors:
        zh, _, en = next(iter(errors.values())).partition(" / ")
        raise Invalid(f"送达登记有误：{zh} / The delivery record is not valid: {en}",
                      code="bad_delivery", fields=errors)
    return day


def record(*, document, channel, delivered_on, actor=None, recipient="", note="", proof=None, reason="", now=None):
    """Record how and when `document` reached the petitioner. When it has a current
    record already, this is a correction: `reason` is required, and the old record is
    kept, superseded. Runs in the caller's transaction (the subject locked by its owner).
    Returns (the new record, the one it replaced or None)."""
    now = now or timezone.now()
    day = check(document, channel=channel, delivered_on=delivered_on, recipient=recipient, note=note, proof=proof,
                today=timezone.localdate(now))
    previous = current(document)
    reason = str(reason or "").strip()
    if previous is not None and not reason:
        raise Invalid(f"该文书已于{previous.delivered_on:%Y-%m-%d}登记送达；更正须说明理由 / "
                      f"This document was recorded as delivered on {previous.delivered_on}: a correction needs a reason.",
                      code="correction_needs_reason", fields={"reason": "请填写更正理由 / Give the reason for the correction."})
    if len(reason) > 300:
        raise Invalid("更正理由不超过300字 / The reason is at most 300 characters.", fields={"reason": "过长 / Too long."})
    proof_name, body = _proof_body(proof) if proof else ("", b"")
    item = Delivery(document=document, channel=channel, delivered_on=day, recipient=str(recipient or "").strip(),
                    note=str(note or "").strip(), recorded_by=actor, recorded_at=now, correction_reason=reason if previous else "")
    if body:
        item.proof_name = proof_name[:200]
        item.proof_sha256 = hashlib.sha256(body).hexdigest()
        try:
            item.proof.save(proof_name, ContentFile(body), save=False)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                logger.critical("document storage is full (%s): a delivery record was refused", exc)
                raise StorageFull("送达凭证保存失败：服务器存储空间已满，未登记。请通知系统管理员 / "
                                  "The server's file storage is full: nothing was recorded.", fields={"proof": proof_name})
            raise ServiceError(f"送达凭证保存失败，请稍后重试 / The proof could not be stored: {exc.strerror or exc}", code="storage_error")
    try:
        with transaction.atomic():
            if previous is not None:
                superseded = Delivery.objects.filter(pk=previous.pk, superseded_at__isnull=True).update(superseded_at=now)
                if not superseded:
                    raise IntegrityError("superseded meanwhile")
            item.save()
    except IntegrityError:
        raise Conflict("该文书的送达记录刚被他人登记或更正，请刷新后重试 / Someone else just recorded this delivery; reload and try again.")
    return item, previous


def correct(*, document, reason, **fields):
    """A correction of the current record: the same as record(), with the reason required."""
    if not str(reason or "").strip():
        raise Invalid("更正须说明理由 / A correction needs a reason.", code="correction_needs_reason",
                      fields={"reason": "请填写更正理由 / Give the reason for the correction."})
    return record(document=document, reason=reason, **fields)
