"""The stored files of a case: what a petitioner sends with a petition (intake) and the
documents of a written reply (cases.services). Both register through attach(), here in
the lower of the two apps; the model is intake.Attachment, reached through the case's
own relation (`case.attachments`), so this module imports nothing above it."""

import errno
import hashlib
import logging

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat

from xinfang.lib.errors import Invalid, ServiceError, StorageFull

from .choices import Kind

logger = logging.getLogger(__name__)

ALLOWED_TYPES = {
    "image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff", "image/bmp", "image/heic",
    "application/pdf", "application/msword", "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text", "application/rtf",
    "audio/mpeg", "audio/amr", "audio/x-wav", "audio/mp4", "video/mp4", "video/3gpp", "video/quicktime",
}


def attach(*, case, upload, actor, petition=None, reply=None):
    """Store one uploaded file after checking its size and its real type (by content,
    not by name)."""
    name, size, body, mime, digest = checked(upload)
    # The file carries the shield of what it came with: its petition's, or for a reply
    # (or any file) of an accusation, the case's registering unit (Art. 30).
    shield = petition.shield_unit_id if petition is not None else (case.unit_id if case.kind == Kind.ACCUSATION else None)
    item = case.attachments.model(case=case, petition=petition, reply=reply, original_name=name[:200], content_type=mime, size=size,
                      sha256=digest, shield_unit_id=shield, uploaded_by=actor)
    store(item.file, name, body)
    item.save()
    return item


def checked(upload):
    """The checks every staff upload passes (size, real type by content): returns
    (name, size, body, mime type, sha256) or raises Invalid naming the file."""
    name = getattr(upload, "name", "") or "附件"
    size = getattr(upload, "size", None)
    limit = settings.ATTACHMENT_MAX_BYTES
    if size is None or size > limit:
        shown = filesizeformat(limit).replace("\xa0", " ")
        raise Invalid(f"附件“{name}”超过{shown}的大小限制 / The file is larger than {shown}.", fields={"attachments": name})
    if size == 0:
        raise Invalid(f"附件“{name}”是空文件 / The file is empty.", fields={"attachments": name})
    body = upload.read()
    kind = filetype.guess(body[:8192])
    mime = kind.mime if kind else ("text/plain" if _is_text(body) else "")
    if mime not in ALLOWED_TYPES | {"text/plain"}:
        raise Invalid(f"附件“{name}”的类型不允许（仅限图片、PDF、Office文档、音视频）/ This file type is not allowed.",
                      fields={"attachments": name})
    return name, size, body, mime, hashlib.sha256(body).hexdigest()


def store(field, name, body):
    """Save checked bytes into a FileField (unsaved row), with a clear error when the
    storage is full."""
    try:
        field.save(name, ContentFile(body), save=False)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            logger.critical("attachment storage is full (%s): a registration was refused", exc)
            message = ("附件保存失败：服务器存储空间已满，本次登记未保存。请保留已填写的内容并通知系统管理员 / "
                       "The server's file storage is full: nothing was saved; keep what you typed and tell the administrator.")
            raise StorageFull(message, fields={"attachments": message})
        raise ServiceError(f"附件保存失败，请稍后重试 / The file could not be stored: {exc.strerror or exc}", code="storage_error")


def _is_text(body):
    try:
        body[:8192].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in body[:8192]
