"""The electronic case file (电子案卷): parts in archive order turned into one PDF and a
zip of the originals with a manifest of SHA-256 checksums, stored on the subject's one
CaseFile row.

Generic: it knows parts (a title, the original bytes, a content type, a file name and a
little metadata), not cases. The app that owns the subject decides the parts and their
order and the front matter (cover, index) from the page counts handed back
(cases/casefile.py for a case).

Conversion: Word, WPS-like, spreadsheet and RTF files go through LibreOffice headless
(`soffice --convert-to pdf`), all of them in one run (a LibreOffice start costs seconds),
each run with a private profile directory so that parallel builds never share one, under
a timeout. A part LibreOffice cannot read, crashes on or hangs on is retried alone, and if
it still fails it is listed in `failures` with its reason and a page "此件转换失败" stands
in for it: everything else is kept, and building again retries it. PDFs go in as they
are (a corrupt one fails like any part), images become a page each (Pillow), audio and
video a page naming the file and its checksum (the original is in the zip).

Nothing half-written: the new PDF and zip are written under new names, the row is
switched to them in one short locked transaction, and only after that commits are the
old files removed. Concurrent builds of one subject each write a whole file set; the
last to commit wins, and neither leaves the row pointing at a partial file."""

import atexit
import contextlib
import dataclasses
import hashlib
import io
import json
import logging
import os
import shutil
import signal
import subprocess  # nosec B404: soffice is run with an argument list, never a shell
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from xinfang.lib.errors import ServiceError

from .models import CaseFile, casefile_path

log = logging.getLogger(__name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OFFICE_TYPES = {
    DOCX: "docx",
    "application/msword": "doc",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/rtf": "rtf",
    "text/rtf": "rtf",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "text/plain": "txt",
}
OFFICE_SUFFIXES = set(OFFICE_TYPES.values()) | {"wps", "docm"}

# The East Asian font generated pages ask for (fonts-noto-cjk; LibreOffice embeds it).
CJK_FONT = "Noto Serif CJK SC"


class OfficeMissing(ServiceError):
    """LibreOffice is not installed (or not where settings.XINFANG_SOFFICE says)."""

    status = 503
    code = "office_missing"


@dataclasses.dataclass
class Part:
    """One item of the case file. `name`: its file name in the zip; `generated`: made by
    the system for the file (a registration form, the timeline) rather than an original."""

    title: str
    body: bytes
    content_type: str
    name: str
    number: str = ""  # 文号
    date: str = ""  # YYYY-MM-DD
    section: str = ""
    generated: bool = False
    listed: bool = True  # a line of its own in the index (卷内目录)

    @property
    def sha256(self):
        return hashlib.sha256(self.body).hexdigest()


@dataclasses.dataclass
class Assembled:
    pdf: bytes
    bundle: bytes
    manifest: list
    failures: list
    pages: int


# --- generated pages ---------------------------------------------------------------


def docx_page(title, *, fields=(), table=None, widths=None, notes=(), big=False):
    """A simple Word page the system writes itself: a title, label/value lines, an
    optional table (header row first; `widths` of its columns in mm) and notes. Returns
    the .docx bytes."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    for section in document.sections:  # A4, as Chinese official papers are
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(26)
        section.top_margin = section.bottom_margin = Mm(25)
    style = document.styles["Normal"]
    style.font.name = CJK_FONT
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    style.element.rPr.append(lang)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.bold = True
    run.font.size = Pt(26 if big else 18)
    if big:
        for _ in range(3):
            document.add_paragraph()
    for label, value in fields:
        line = document.add_paragraph()
        line.add_run(f"{label}：").bold = True
        line.add_run(str(value if value not in (None, "") else "—"))
        if big:
            line.paragraph_format.space_after = Pt(12)
            for r in line.runs:
                r.font.size = Pt(15)
    if table:
        header, *rows = table
        grid = document.add_table(rows=1, cols=len(header))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, header):
            cell.text = ""
            cell.paragraphs[0].add_run(str(text)).bold = True
        for row in rows:
            cells = grid.add_row().cells
            for cell, text in zip(cells, row):
                cell.text = str(text if text not in (None, "") else "—")
        for row in grid.rows:
            for cell in row.cells:
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(10.5)
        if widths:
            grid.autofit = False
            for column, width in zip(grid.columns, widths):
                column.width = Mm(width)
            for row in grid.rows:
                for cell, width in zip(row.cells, widths):
                    cell.width = Mm(width)
    for note in notes:
        document.add_paragraph(note)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _image_page(lines):
    """A page of text drawn as an image: the last resort when LibreOffice cannot even
    write a failure page (the text is then not extractable, but the page is legible)."""
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("RGB", (1240, 1754), "white")  # A4 at 150 dpi
    draw = ImageDraw.Draw(page)
    try:
        font = ImageFont.truetype(settings.XINFANG_CASEFILE["font_file"], 32)
    except OSError:
        font = ImageFont.load_default()
    y = 120
    for line in lines:
        for start in range(0, max(len(line), 1), 34):
            draw.text((100, y), line[start:start + 34], fill="black", font=font)
            y += 48
    out = io.BytesIO()
    page.save(out, "PDF", resolution=150)
    return out.getvalue()


# --- conversion --------------------------------------------------------------------


def soffice_path():
    """The LibreOffice program, or OfficeMissing naming the package to install."""
    configured = settings.XINFANG_CASEFILE["soffice"]
    found = shutil.which(configured) if os.sep not in configured else (configured if os.access(configured, os.X_OK) else None)
    if not found:
        raise OfficeMissing(
            f"未找到 LibreOffice（{configured}），无法生成电子案卷。请安装 libreoffice-writer-nogui（make office）后点击“重新生成案卷”，"
            f"已归档的材料不受影响 / LibreOffice ({configured}) is not installed, so the case file cannot be built: install "
            f"libreoffice-writer-nogui (make office) and rebuild; nothing archived is lost.")
    return found


_idle_profiles = []
_profiles_lock = threading.Lock()


@contextlib.contextmanager
def _profile():
    """A LibreOffice profile directory for one run: an idle one of this process, or a new
    one (a fresh profile costs a second or two at every start). Never used by two runs
    at once, so parallel conversions do not clash; dropped after a run that failed."""
    with _profiles_lock:
        path = _idle_profiles.pop() if _idle_profiles else None
    if path is None or not os.path.isdir(path):
        path = tempfile.mkdtemp(prefix="xf-lo-profile-")
        atexit.register(shutil.rmtree, path, True)
    healthy = []
    try:
        yield path, healthy
    finally:
        if healthy:
            with _profiles_lock:
                _idle_profiles.append(path)
        else:
            # A crash or a kill may leave the profile half-written: the next run starts afresh.
            shutil.rmtree(path, ignore_errors=True)


def _run_soffice(program, inputs, outdir, timeout):
    """Convert `inputs` (paths) to PDFs in `outdir` in one LibreOffice run with a private
    profile. Returns (exit code or None when it timed out, stderr text)."""
    with _profile() as (profile, healthy):
        command = [program, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--invisible", "--norestore",
                   "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(outdir), *map(str, inputs)]
        try:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,  # nosec B603
                                       start_new_session=True, env={**os.environ, "HOME": profile})
        except OSError as exc:
            raise OfficeMissing(f"无法启动 LibreOffice：{exc} / LibreOffice could not be started: {exc}")
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return None, ""
        if process.returncode == 0:
            healthy.append(True)
        return process.returncode, err.decode("utf-8", "replace")


def _pdf_pages(body):
    reader = PdfReader(io.BytesIO(body))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("encrypted")
    count = len(reader.pages)
    if count == 0:
        raise ValueError("no pages")
    return count


def convert_office(items, workdir, *, program, timeout=None):
    """`items`: {key: (bytes, suffix)}. Returns ({key: pdf bytes}, {key: reason}). One
    LibreOffice run for all; what a crash or a hang left unconverted is retried alone, so
    one bad document costs only itself."""
    timeout = timeout or settings.XINFANG_CASEFILE["timeout"]
    indir, outdir = Path(workdir) / "in", Path(workdir) / "out"
    indir.mkdir(parents=True, exist_ok=True)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for key, (body, suffix) in items.items():
        path = indir / f"{key}.{suffix}"
        path.write_bytes(body)
        paths[key] = path
    done, failed = {}, {}

    def collect(keys):
        missing = []
        for key in keys:
            result = outdir / f"{key}.pdf"
            try:
                body = result.read_bytes()
                _pdf_pages(body)
                done[key] = body
            except Exception:
                missing.append(key)
        return missing

    if not paths:
        return done, failed
    # One run per processor (settings "processes"), each with its share of the files.
    runs = max(1, min(settings.XINFANG_CASEFILE.get("processes", 2), len(paths) // 8 or 1))
    keys = list(paths)
    shares = [keys[i::runs] for i in range(runs)]

    # A run may take its start, the slowest document's timeout and a few seconds a file.
    startup = settings.XINFANG_CASEFILE.get("startup", 30)

    def run(share):
        return share, _run_soffice(program, [paths[k] for k in share], outdir, startup + timeout + 3 * len(share))

    with ThreadPoolExecutor(max_workers=runs) as pool:
        results = list(pool.map(run, shares))
    for share, (code, err) in results:
        missing = collect(share)
        if missing and code != 0:
            # A crash or a hang stopped the run: the rest of its files never got their turn.
            for key in missing:
                retry_code, retry_err = _run_soffice(program, [paths[key]], outdir, startup + timeout)
                if collect([key]):
                    failed[key] = _reason(retry_code, retry_err, timeout)
        else:
            for key in missing:
                failed[key] = _reason(code, err, timeout)
    return done, failed


def _reason(code, err, timeout):
    if code is None:
        return f"LibreOffice 转换超时（{timeout}秒）/ LibreOffice timed out after {timeout} s."
    if code != 0:
        return f"LibreOffice 异常退出（代码 {code}）/ LibreOffice crashed (exit {code})."
    return "文件无法读取，可能已损坏或格式不符 / The file could not be read: it may be corrupt or not what its type says."


def image_pdf(body):
    """An image (every frame of a multi-page TIFF) as PDF pages no larger than A4."""
    from PIL import Image, ImageOps

    image = Image.open(io.BytesIO(body))
    frames = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        frame = ImageOps.exif_transpose(image.copy())
        frames.append(frame.convert("RGB"))
    width, height = frames[0].size
    # Pillow sizes the page from the resolution: fit the long side within A4 (595 x 842 pt).
    dpi = max(72.0, width / 595 * 72, height / 842 * 72)
    out = io.BytesIO()
    frames[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=frames[1:])
    return out.getvalue()


def _kind(part):
    suffix = Path(part.name).suffix.lower().lstrip(".")
    if part.content_type == "application/pdf":
        return "pdf", ""
    if part.content_type in OFFICE_TYPES:
        return "office", suffix if suffix in OFFICE_SUFFIXES else OFFICE_TYPES[part.content_type]
    if suffix in OFFICE_SUFFIXES:
        return "office", suffix
    if part.content_type.startswith("image/"):
        return "image", ""
    return "placeholder", ""


def _size(n):
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(n, 1) / 1024:.1f} KB"


def assemble(parts, *, front=None, timeout=None):
    """Build the PDF and the zip from `parts` (in order). `front(entries)` returns the
    parts to put before them (cover, index); each entry is a dict with the part's
    title, number, date, section, listed, pages (its count) and first (its first page
    counted from the first page after the front matter). Raises OfficeMissing before
    doing anything when LibreOffice is missing."""
    program = soffice_path()
    workdir = tempfile.mkdtemp(prefix="xf-casefile-")
    try:
        return _assemble(parts, front, program, Path(workdir), timeout)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _assemble(parts, front, program, workdir, timeout):
    pdfs, failures, how = {}, {}, {}
    office = {}
    for i, part in enumerate(parts):
        key = f"p{i:04d}"
        kind, suffix = _kind(part)
        how[i] = kind
        if kind == "office":
            office[key] = (part.body, suffix)
        elif kind == "pdf":
            try:
                _pdf_pages(part.body)
                pdfs[i] = part.body
            except Exception as exc:
                failures[i] = f"PDF 文件无法读取（{type(exc).__name__}）/ The PDF could not be read."
        elif kind == "image":
            try:
                pdfs[i] = image_pdf(part.body)
            except Exception as exc:
                failures[i] = f"图片无法读取（{type(exc).__name__}）/ The image could not be read."
        else:
            # Audio, video and anything else without pages: a page that names it.
            office[key] = (docx_page(f"{part.title}", fields=[
                ("文件名", part.name), ("类型", part.content_type), ("大小", _size(len(part.body))), ("SHA-256", part.sha256)],
                notes=["本件为音视频或其他不能转为页面的文件，原件见原件包（zip）/ Audio, video or another file without pages: "
                       "the original is in the zip."]), "docx")
    done, failed = convert_office(office, workdir / "first", program=program, timeout=timeout) if office else ({}, {})
    for key, body in done.items():
        pdfs[int(key[1:])] = body
    for key, reason in failed.items():
        failures[int(key[1:])] = reason

    # Pages for what failed, and the front matter, in a second run (its page numbers
    # need the first run's counts).
    stand_ins = {f"f{i:04d}": (docx_page("此件转换失败", fields=[("题名", parts[i].title), ("文件名", parts[i].name),
                                                          ("SHA-256", parts[i].sha256), ("原因", reason)],
                                       notes=[f"此件转换失败：{reason}", "原件完整保存在原件包（zip）中，重新生成案卷时将再次转换 / "
                                              "The original is kept in the zip; rebuilding the case file tries again."]), "docx")
                 for i, reason in failures.items()}
    counts = {}
    for i in range(len(parts)):
        counts[i] = _pdf_pages(pdfs[i]) if i in pdfs else None
    # A failure page is one page (docx_page is short); its count is fixed below if not.
    entries, page = [], 1
    for i, part in enumerate(parts):
        n = counts[i] or 1
        entries.append({"title": part.title, "number": part.number, "date": part.date, "section": part.section,
                        "listed": part.listed, "pages": n, "first": page, "failed": i in failures})
        page += n
    front_parts = list(front(entries)) if front else []
    second = dict(stand_ins)
    for j, part in enumerate(front_parts):
        second[f"c{j:04d}"] = (part.body, _kind(part)[1] or "docx")
    done2, failed2 = convert_office(second, workdir / "second", program=program, timeout=timeout) if second else ({}, {})
    for key in failed2:
        if key.startswith("f"):
            i = int(key[1:])
            done2[key] = _image_page(["此件转换失败", parts[i].title, parts[i].name, failures[i]])
        else:
            part = front_parts[int(key[1:])]
            done2[key] = _image_page([part.title, "（此页生成失败 / this page could not be generated）"])
    for key, body in done2.items():
        if key.startswith("f"):
            pdfs[int(key[1:])] = body

    writer = PdfWriter()
    manifest, bundle_names = [], set()
    total = 0

    def add(body):
        nonlocal total
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted:
            reader.decrypt("")
        start = total + 1
        writer.append(reader)
        total += len(reader.pages)
        return [start, total]

    ordered = [(part, done2[f"c{j:04d}"], "front") for j, part in enumerate(front_parts)]
    ordered += [(part, pdfs[i], how[i] if i not in failures else "failed") for i, part in enumerate(parts)]
    for seq, (part, body, route) in enumerate(ordered, 1):
        try:
            pages = add(body)
        except Exception as exc:
            # Readable, yet pypdf cannot copy its pages (a malformed PDF): a page says so.
            log.warning("case file: %s could not be merged", part.name, exc_info=True)
            reason = f"PDF 无法合并（{type(exc).__name__}）/ Its pages could not be merged."
            if seq > len(front_parts):
                failures[seq - 1 - len(front_parts)] = reason
            route = "failed"
            pages = add(_image_page(["此件转换失败", part.title, part.name, reason]))
        name = _unique(f"{seq:03d}_{part.name}", bundle_names)
        manifest.append({"seq": seq, "name": name, "title": part.title, "number": part.number, "date": part.date,
                         "section": part.section, "sha256": part.sha256, "size": len(part.body), "content_type": part.content_type,
                         "generated": part.generated or route == "front", "converted": route, "pages": pages})
    out = io.BytesIO()
    writer.add_metadata({"/Producer": "Xinfang 电子案卷", "/Title": front_parts[0].title if front_parts else "电子案卷"})
    writer.write(out)
    pdf = out.getvalue()

    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, (part, _, _) in zip(manifest, ordered):
            archive.writestr(entry["name"], part.body)
        archive.writestr("manifest.json", json.dumps({"pdf_sha256": hashlib.sha256(pdf).hexdigest(), "pages": total,
                                                      "items": manifest}, ensure_ascii=False, indent=1))
    failed_list = [{"name": manifest[len(front_parts) + i]["name"], "title": parts[i].title, "reason": reason}
                   for i, reason in sorted(failures.items())]
    return Assembled(pdf=pdf, bundle=bundle.getvalue(), manifest=manifest, failures=failed_list, pages=total)


def _unique(name, taken):
    name = name.replace("/", "_").replace("\\", "_")
    candidate, n = name, 1
    while candidate in taken:
        stem, dot, suffix = name.rpartition(".")
        candidate = f"{stem}_{n}.{suffix}" if dot else f"{name}_{n}"
        n += 1
    taken.add(candidate)
    return candidate


# --- the stored case file ----------------------------------------------------------


def casefile_of(subject):
    return CaseFile.objects.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk).first()


def ensure(subject, *, retention, requested=True):
    """The subject's one CaseFile row, made if missing, with its retention set and (by
    default) a build marked as asked for."""
    kind = ContentType.objects.get_for_model(subject)
    now = timezone.now() if requested else None
    row, created = CaseFile.objects.get_or_create(subject_type=kind, subject_id=subject.pk,
                                                  defaults={"retention": retention, "requested_at": now})
    if not created:
        changes = {"retention": retention} if retention else {}  # "" keeps the recorded one
        if requested:
            changes["requested_at"] = now
        CaseFile.objects.filter(pk=row.pk).update(**changes)
        for name, value in changes.items():
            setattr(row, name, value)
    return row


def build(subject, *, parts, front, actor=None, label="casefile", timeout=None):
    """Assemble `parts` and store the result on the subject's CaseFile row (which must
    exist: `ensure`). On OfficeMissing the error is recorded on the row and raised; the
    files already there stay."""
    row = casefile_of(subject)
    if row is None:
        raise ServiceError("尚未归档，没有电子案卷 / Not archived: there is no case file.", code="no_casefile")
    try:
        result = assemble(parts, front=front, timeout=timeout)
    except OfficeMissing as exc:
        CaseFile.objects.filter(pk=row.pk).update(error=exc.message, error_at=timezone.now())
        raise
    except Exception as exc:
        log.exception("case file of %s %s could not be built", row.subject_type_id, row.subject_id)
        CaseFile.objects.filter(pk=row.pk).update(error=f"生成失败：{type(exc).__name__} / The build failed: {exc}"[:2000],
                                                  error_at=timezone.now())
        raise
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    storage = CaseFile._meta.get_field("pdf").storage
    pdf_name = storage.save(casefile_path(row, f"{label}-{stamp}.pdf"), ContentFile(result.pdf))
    try:
        zip_name = storage.save(casefile_path(row, f"{label}-{stamp}.zip"), ContentFile(result.bundle))
    except Exception:
        storage.delete(pdf_name)
        raise
    try:
        with transaction.atomic():
            locked = CaseFile.objects.select_for_update().get(pk=row.pk)
            old = [name for name in (locked.pdf.name, locked.bundle.name) if name]
            locked.pdf.name, locked.bundle.name = pdf_name, zip_name
            locked.manifest, locked.failures, locked.pages = result.manifest, result.failures, result.pages
            locked.built_at, locked.built_by, locked.error, locked.error_at = timezone.now(), actor, "", None
            locked.save()
            transaction.on_commit(lambda: [storage.delete(name) for name in old], robust=True)
    except Exception:
        storage.delete(pdf_name)
        storage.delete(zip_name)
        raise
    return locked
