"""The case file assembler: parts in, one PDF and a zip of the originals out; a part that
cannot be converted is listed and stood in for, the rest kept; LibreOffice missing is a
clear error that loses nothing."""

import hashlib
import io
import json
import os
import stat
import zipfile

import pytest
from pypdf import PdfReader

from xinfang.documents import casefile
from xinfang.documents.casefile import DOCX, OfficeMissing, Part
from xinfang.documents.kinds import Retention
from xinfang.documents.models import CaseFile

from .casefile_factories import NEEDS_OFFICE, corrupt_docx, docx_bytes, image_bytes, pdf_bytes

pytestmark = NEEDS_OFFICE


def parts(*extra):
    return [
        Part("受理告知书", docx_bytes("受理告知书"), DOCX, "受理告知书.docx", number="测信告〔2026〕1号", date="2026-11-02"),
        Part("现场照片", image_bytes("JPEG"), "image/jpeg", "照片.jpg", date="2026-11-03"),
        Part("病历", pdf_bytes(2), "application/pdf", "病历.pdf"),
        Part("截图", image_bytes("PNG", size=(300, 200)), "image/png", "截图.png"),
        Part("录音", b"ID3\x03\x00\x00\x00fake mp3 body" * 50, "audio/mpeg", "录音.mp3"),
        *extra,
    ]


def cover(entries):
    rows = [["序号", "题名", "页号"]] + [[i, e["title"], e["first"]] for i, e in enumerate(entries, 1)]
    return [Part("案卷封面 测试", casefile.docx_page("案卷封面", fields=[("编号", "T-2026-1")]), DOCX, "封面.docx", generated=True),
            Part("卷内目录", casefile.docx_page("卷内目录", table=rows), DOCX, "目录.docx", generated=True)]


def text_of(pdf, page):
    return PdfReader(io.BytesIO(pdf)).pages[page].extract_text()


def test_every_part_becomes_pages_of_one_pdf_with_the_originals_and_their_checksums_in_the_zip():
    given = parts()
    result = casefile.assemble(given, front=cover)

    reader = PdfReader(io.BytesIO(result.pdf))
    # cover 1 + index 1 + docx 1 + jpeg 1 + pdf 2 + png 1 + audio placeholder 1
    assert len(reader.pages) == result.pages == 8
    assert sum(e["pages"][1] - e["pages"][0] + 1 for e in result.manifest) == 8
    assert "T-2026-1" in text_of(result.pdf, 0)
    index = text_of(result.pdf, 1)
    for title in ("受理告知书", "现场照片", "病历", "截图", "录音"):
        assert title in index
    assert "此件转换失败" not in "".join(p.extract_text() for p in reader.pages)
    assert "录音.mp3" in text_of(result.pdf, 7)  # the audio's page names it
    assert result.failures == []

    archive = zipfile.ZipFile(io.BytesIO(result.bundle))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["pdf_sha256"] == hashlib.sha256(result.pdf).hexdigest()
    originals = {p.title: p.body for p in given}
    for item in manifest["items"]:
        body = archive.read(item["name"])
        assert hashlib.sha256(body).hexdigest() == item["sha256"] and len(body) == item["size"]
        if item["title"] in originals:
            assert body == originals[item["title"]]
    assert [i["pages"] for i in manifest["items"]] == [[1, 1], [2, 2], [3, 3], [4, 4], [5, 6], [7, 7], [8, 8]]


def test_a_corrupt_document_is_listed_with_its_reason_and_a_stand_in_page_while_the_rest_is_kept():
    bad = Part("损坏的复查意见书", corrupt_docx(), DOCX, "复查意见书.docx")
    result = casefile.assemble(parts(bad), front=cover)

    assert [f["title"] for f in result.failures] == ["损坏的复查意见书"]
    assert "无法读取" in result.failures[0]["reason"] and "could not be read" in result.failures[0]["reason"]
    assert result.pages == 9  # everything before it, and one stand-in page
    last = text_of(result.pdf, 8)
    assert "此件转换失败" in last and "复查意见书.docx" in last
    assert "转换失败" in text_of(result.pdf, 1) or "损坏的复查意见书" in text_of(result.pdf, 1)
    archive = zipfile.ZipFile(io.BytesIO(result.bundle))
    name = result.failures[0]["name"]
    assert archive.read(name) == bad.body  # the original is kept as it came


def crashing_soffice(tmp_path):
    """A LibreOffice that crashes (SIGSEGV) whenever it is given a file containing CRASH,
    and otherwise runs the real one."""
    real = casefile.shutil.which("soffice")
    script = tmp_path / "soffice"
    script.write_text(f"""#!/bin/sh
for a in "$@"; do case "$a" in -*) ;; *) if [ -f "$a" ] && grep -q CRASH "$a"; then kill -SEGV $$; fi;; esac; done
exec {real} "$@"
""")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_a_document_that_crashes_libreoffice_fails_alone_and_the_others_of_its_run_are_converted(settings, tmp_path):
    settings.XINFANG_CASEFILE = {**settings.XINFANG_CASEFILE, "soffice": crashing_soffice(tmp_path)}
    crash = Part("令转换器崩溃的文件", b"CRASH" * 100, "application/rtf", "崩溃.rtf")
    after = Part("答复意见书", docx_bytes("答复意见书"), DOCX, "答复.docx")
    result = casefile.assemble(parts(crash, after), front=None)

    assert [f["title"] for f in result.failures] == ["令转换器崩溃的文件"]
    assert "异常退出" in result.failures[0]["reason"] and "crashed" in result.failures[0]["reason"]
    assert "答复意见书" in text_of(result.pdf, result.pages - 1)  # converted after the crash, on a retry
    assert "此件转换失败" in text_of(result.pdf, result.pages - 2)


def test_without_libreoffice_the_error_names_the_package_in_chinese_and_english_and_nothing_is_written(settings):
    settings.XINFANG_CASEFILE = {**settings.XINFANG_CASEFILE, "soffice": "/nonexistent/soffice"}
    with pytest.raises(OfficeMissing) as caught:
        casefile.assemble(parts(), front=cover)
    assert "LibreOffice" in caught.value.message and "libreoffice-writer-nogui" in caught.value.message
    assert " / " in caught.value.message and caught.value.status == 503


@pytest.mark.django_db
def test_building_again_replaces_the_files_on_the_one_row_and_removes_the_old_ones(units, settings, tmp_path,
                                                                                   django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    subject = units["county"]
    casefile.ensure(subject, retention=Retention.SHORT)
    first = casefile.build(subject, parts=parts(), front=cover)
    old_pdf, old_zip = first.pdf.path, first.bundle.path
    with django_capture_on_commit_callbacks(execute=True):
        second = casefile.build(subject, parts=parts(), front=cover)

    assert CaseFile.objects.count() == 1
    assert second.pages == 8 and second.built_at >= first.built_at
    assert not os.path.exists(old_pdf) and not os.path.exists(old_zip)
    assert os.path.exists(second.pdf.path) and os.path.exists(second.bundle.path)


@pytest.mark.django_db
def test_a_build_without_libreoffice_keeps_the_built_files_and_records_the_error(units, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    subject = units["county"]
    casefile.ensure(subject, retention=Retention.SHORT)
    built = casefile.build(subject, parts=parts(), front=cover)
    settings.XINFANG_CASEFILE = {**settings.XINFANG_CASEFILE, "soffice": "/nonexistent/soffice"}
    with pytest.raises(OfficeMissing):
        casefile.build(subject, parts=parts(), front=cover)

    row = CaseFile.objects.get()
    assert row.pdf.name == built.pdf.name and os.path.exists(row.pdf.path) and row.pages == 8
    assert "libreoffice-writer-nogui" in row.error


@pytest.mark.django_db(transaction=True)
def test_two_builds_at_once_leave_one_row_pointing_at_one_whole_pdf_and_zip(settings, tmp_path):
    """Real threads, each with its own connection: both build, the last to commit wins,
    and the row points at a complete file set whose manifest matches its zip."""
    import threading

    from django.db import connection

    from xinfang.org.sample import build_units

    settings.MEDIA_ROOT = tmp_path
    subject = build_units()["county"]
    casefile.ensure(subject, retention=Retention.SHORT)
    barrier, errors = threading.Barrier(2), []

    def worker():
        try:
            barrier.wait()
            casefile.build(subject, parts=parts(), front=cover)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)

    assert errors == [] and CaseFile.objects.count() == 1
    row = CaseFile.objects.get()
    assert len(PdfReader(row.pdf.path).pages) == row.pages == 8
    manifest = json.loads(zipfile.ZipFile(row.bundle.path).read("manifest.json"))
    assert [i["sha256"] for i in manifest["items"]] == [i["sha256"] for i in row.manifest]
    assert manifest["pdf_sha256"] == hashlib.sha256(open(row.pdf.path, "rb").read()).hexdigest()
    # The loser's files were removed once the winner committed: only one set is left.
    left = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert len(left) == 2, left


def test_a_document_on_which_libreoffice_hangs_is_killed_after_the_timeout_and_listed(settings, tmp_path):
    real = casefile.shutil.which("soffice")
    script = tmp_path / "soffice"
    script.write_text(f"""#!/bin/sh
for a in "$@"; do case "$a" in -*) ;; *) if [ -f "$a" ] && grep -q HANG "$a"; then exec sleep 600; fi;; esac; done
exec {real} "$@"
""")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    settings.XINFANG_CASEFILE = {**settings.XINFANG_CASEFILE, "soffice": str(script), "startup": 10}
    hang = Part("令转换器停住的文件", b"HANG" * 100, "application/rtf", "停住.rtf")
    good = Part("答复意见书", docx_bytes("答复意见书"), DOCX, "答复.docx")
    result = casefile.assemble([hang, good], front=None, timeout=2)

    assert [f["title"] for f in result.failures] == ["令转换器停住的文件"]
    assert "超时" in result.failures[0]["reason"] and "timed out" in result.failures[0]["reason"]
    assert "此件转换失败" in text_of(result.pdf, 0) and "答复意见书" in text_of(result.pdf, 1)
