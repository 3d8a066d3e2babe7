"""backup writes the database and the attached files into one archive with a manifest;
restore puts them back into an empty database, and refuses one that holds data. Runs on
the database of the run: SQLite, or PostgreSQL when DATABASE_URL says so."""

import hashlib
import io
import json
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from xinfang.audit.services import verify_chain
from xinfang.intake.services import PetitionIn, register
from xinfang.ops.backup import KEY_MODELS, key_counts, prune, sha256_file

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def office(media, people, units):
    """Two petitions, one with two attachments, and a case acted on (its acceptance
    issues a 受理告知书: a third stored file)."""
    from xinfang.cases.services import perform

    files = [SimpleUploadedFile("来信.txt", "来信原件：补偿款未发放。".encode(), content_type="text/plain"),
             SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")]
    petition, case = register(actor=people["dengji"], files=files, data=PetitionIn(
        channel="letter", receiving_unit=units["bureau"], kind="grievance", title="征地补偿款未发放", content="补偿款至今未发放。",
        petitioners=[{"name": "刘某", "id_number": "11010519491231002X", "phone": "13800000001"}]))
    perform(case=case, action="accept", actor=people["dengji"])
    register(actor=people["dengji"], data=PetitionIn(channel="phone", receiving_unit=units["bureau"], kind="suggestion",
                                                       title="建议增设公交站", content="建议在东街增设公交站。"))
    return case


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def archive_of(output):
    return output.splitlines()[0].strip()


def test_a_backup_restores_into_an_empty_database_with_the_same_rows_and_files(office, media, tmp_path):
    before = key_counts()
    hashes = {p.relative_to(media): sha256_file(p) for p in media.rglob("*") if p.is_file()}
    assert before["cases.Case"] == 2 and before["intake.Attachment"] == 2 and len(hashes) == 3

    archive = archive_of(run("backup", "--dest", str(tmp_path / "backups")))

    # A new machine: an empty database and no files.
    call_command("flush", "--noinput")
    for p in list(media.rglob("*")):
        if p.is_file():
            p.unlink()
    assert not any(key_counts().values())

    output = run("restore", archive, "--yes")

    assert output.rstrip().endswith("OK")
    assert key_counts() == before
    assert {p.relative_to(media): sha256_file(p) for p in media.rglob("*") if p.is_file()} == hashes
    assert verify_chain().ok


def test_the_archive_holds_a_manifest_with_checksums_and_counts(office, tmp_path):
    archive = archive_of(run("backup", "--dest", str(tmp_path)))

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
        database = tar.extractfile(manifest["database"]["name"]).read()
    assert names[0] == "manifest.json" and len([n for n in names if n.startswith("media/")]) == 3
    assert any(n.startswith("media/documents/") for n in names)  # the generated notice is backed up with the rest
    assert set(manifest["counts"]) == set(KEY_MODELS) and manifest["counts"]["cases.Case"] == 2
    assert hashlib.sha256(database).hexdigest() == manifest["database"]["sha256"]
    assert manifest["audit_head"]["last_seq"] == manifest["counts"]["audit.AuditEntry"]


def test_restore_refuses_a_database_that_holds_data(office, tmp_path):
    archive = archive_of(run("backup", "--dest", str(tmp_path)))

    with pytest.raises(CommandError, match="目标数据库已有数据"):
        run("restore", archive, "--yes")


def test_restore_refuses_a_damaged_archive_before_writing_anything(office, tmp_path, media):
    archive = archive_of(run("backup", "--dest", str(tmp_path)))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data + b"tampered"
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    call_command("flush", "--noinput")

    with pytest.raises(CommandError, match="校验失败"):
        run("restore", str(damaged), "--yes")
    assert not any(key_counts().values())


def test_restore_without_yes_is_refused_when_nobody_can_answer(office, tmp_path):
    archive = archive_of(run("backup", "--dest", str(tmp_path)))
    with pytest.raises(CommandError, match="--yes"):
        run("restore", archive)


def test_old_archives_beyond_the_retention_are_pruned(tmp_path):
    for day in range(1, 6):
        (tmp_path / f"xinfang-backup-202603{day:02d}-020000.tar.gz").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("keep me")

    removed = prune(tmp_path, 3)

    assert [p.name for p in removed] == ["xinfang-backup-20260301-020000.tar.gz", "xinfang-backup-20260302-020000.tar.gz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "xinfang-backup-20260303-020000.tar.gz",
                                                          "xinfang-backup-20260304-020000.tar.gz", "xinfang-backup-20260305-020000.tar.gz"]


def test_the_manifest_names_the_data_keys_the_personal_data_need_but_holds_no_key(office, tmp_path, settings):
    from xinfang.conftest import TEST_DATA_KEYS

    archive = archive_of(run("backup", "--dest", str(tmp_path)))

    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        everything = b"".join(tar.extractfile(m).read() for m in tar.getmembers() if m.isfile())
    assert manifest["data_keys"] == [TEST_DATA_KEYS.split(":")[0]]
    assert TEST_DATA_KEYS.split(":")[1].encode() not in everything
    assert b"13800000001" not in everything and "11010519491231002X".encode() not in everything


def test_restore_without_the_key_file_says_which_keys_are_missing(office, tmp_path, settings):
    import base64

    from xinfang.lib import crypto

    archive = archive_of(run("backup", "--dest", str(tmp_path)))
    call_command("flush", "--noinput")
    settings.XINFANG_DATA_KEYS = "other1:" + base64.b64encode(b"k" * 32).decode()
    crypto.reset()
    try:
        with pytest.raises(CommandError, match="密钥不在当前密钥环中.*test1"):
            run("restore", archive, "--yes")
        assert key_counts()["cases.Case"] == 2  # the rows are back; only their personal data wait for the key
    finally:
        crypto.reset()
