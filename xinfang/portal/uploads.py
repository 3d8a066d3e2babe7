"""What the public may attach: photos (JPEG, PNG, WebP) and PDF files, judged by their
content, not their names. Photos are decoded and encoded again, which drops EXIF (GPS
position, camera, time), XMP and text chunks, and anything hidden after the picture;
PDFs that carry scripts, launch actions or embedded files are refused."""

import io
import re
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

from xinfang.lib.errors import Invalid

IMAGES = {"image/jpeg": ("JPEG", "jpg"), "image/png": ("PNG", "png"), "image/webp": ("WEBP", "webp")}
PDF = "application/pdf"
# PDF names of active content. A scan of a letter has none of them.
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA|AA)\b")
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; bigger is a decompression bomb or a mistake


def _refuse(name, message):
    raise Invalid(f"附件“{name}”{message}", code="bad_attachment", fields={"attachments": f"{name}：{message.split(' / ')[0]}"})


def _stem(name):
    stem = PurePath(str(name).replace("\\", "/")).stem
    stem = re.sub(r"[^\w\u4e00-\u9fff\-]+", "_", stem).strip("_.")[:60]
    return stem or "附件"


def clean(upload):
    """A checked copy of one upload, ready for cases.attachments.attach(), or Invalid
    naming the file and the reason."""
    name = str(getattr(upload, "name", "") or "附件")[:100]
    limit = settings.PORTAL_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is None or size > limit:
        shown = filesizeformat(limit).replace("\xa0", " ")
        _refuse(name, f"超过{shown}，请压缩后再上传 / The file is larger than {shown}.")
    body = upload.read(limit + 1)
    if len(body) > limit:
        _refuse(name, "超过大小限制 / The file is too large.")
    if not body:
        _refuse(name, "是空文件 / The file is empty.")
    kind = filetype.guess(body[:8192])
    mime = kind.mime if kind else ""
    if mime in IMAGES:
        return _reencode(name, body, *IMAGES[mime])
    if mime == PDF and body.startswith(b"%PDF-"):
        if PDF_ACTIVE.search(body):
            _refuse(name, "含有脚本或嵌入内容，不能接收，请另存或打印为普通PDF后上传 / The PDF carries scripts or embedded files.")
        return ContentFile(body, name=f"{_stem(name)}.pdf")
    _refuse(name, "不是图片或PDF文件（只接收JPG、PNG、WebP图片和PDF） / Only JPG, PNG, WebP images and PDF files are accepted.")


def _reencode(name, body, fmt, ext):
    try:
        with Image.open(io.BytesIO(body)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                _refuse(name, "图片尺寸过大 / The image is too large.")
            probe.verify()
        with Image.open(io.BytesIO(body)) as img:
            img.load()
            img = ImageOps.exif_transpose(img)  # keep the picture upright once the EXIF is gone
            if fmt == "JPEG" and img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            elif img.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                img = img.convert("RGBA")
            out = io.BytesIO()
            # No exif=, icc_profile= or pnginfo=: the new file carries the pixels only.
            img.save(out, fmt, **({"quality": 88} if fmt in ("JPEG", "WEBP") else {}))
    except Invalid:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        _refuse(name, "无法读取，可能已损坏 / The image cannot be read; it may be damaged.")
    return ContentFile(out.getvalue(), name=f"{_stem(name)}.{ext}")


def clean_all(uploads):
    uploads = [u for u in uploads if u]
    most = settings.PORTAL_UPLOAD_MAX_FILES
    if len(uploads) > most:
        raise Invalid(f"最多上传{most}个附件 / At most {most} files.", code="bad_attachment",
                      fields={"attachments": f"最多{most}个 / At most {most}."})
    return [clean(u) for u in uploads]
