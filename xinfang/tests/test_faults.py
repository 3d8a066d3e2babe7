"""Faults (issue 4, item 7): the database goes away mid-request, the task queue is down,
the attachments' disk is full, two clerks act on one case at once. Each fails cleanly —
a clear answer, nothing half-saved — and the work goes through when the fault is gone."""

import errno
import re
import threading

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, connections
from django.test import Client

from xinfang.api.services import issue_token
from xinfang.cases.models import Case, CaseEvent, CaseNumberSequence
from xinfang.intake.models import Attachment, Petition, Petitioner

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
UNAVAILABLE = ("数据库暂时无法连接", "The database is unavailable")


def register_form(**overrides):
    data = {
        "channel": "letter", "received_at": "", "receiving_unit": "341122-XFJ", "kind": "grievance", "title": "征地补偿款未发放",
        "content": "本人承包地于去年被征收，补偿款至今未发放到位。", "headcount": "1", "case": "",
        "p-TOTAL_FORMS": "1", "p-INITIAL_FORMS": "0", "p-MIN_NUM_FORMS": "0", "p-MAX_NUM_FORMS": "200",
        "p-0-name": "刘某", "p-0-id_number": "11010519491231002X", "p-0-phone": "13800000001",
    }
    data.update(overrides)
    return data


API_PETITION = {"channel": "letter", "receiving_unit": "341122-XFJ", "title": "征地补偿款未发放", "kind": "grievance",
                "content": "本人承包地于去年被征收，补偿款至今未发放到位。", "petitioners": [{"name": "刘某", "phone": "13800000001"}]}


def nothing_saved():
    return not (Case.objects.exists() or Petition.objects.exists() or Petitioner.objects.exists() or Attachment.objects.exists()
                or CaseNumberSequence.objects.filter(last__gt=0).exists())


def staff_client(people, username):
    client = Client(raise_request_exception=False)
    client.force_login(people[username])
    return client


def bearer(people, username):
    return {"Authorization": f"Bearer {issue_token(user=people[username])[0]}"}


# --- (a) the database goes away mid-request ---------------------------------------------


class GoneAt:
    """An execute wrapper: the first statement matching `pattern` fails as a database that
    has just restarted makes it fail (`also` more times after it, then it is back)."""

    def __init__(self, pattern, *, also=0):
        self.pattern, self.left, self.failed = re.compile(pattern, re.I | re.S), also + 1, 0

    def __call__(self, execute, sql, params, many, context):
        if self.left and self.pattern.search(sql):
            self.left -= 1
            self.failed += 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


PETITION_INSERT = r'^\s*INSERT INTO "intake_petition"'


def assert_unavailable_page(response):
    assert response.status_code == 503, response.content[:300]
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert all(text in html for text in UNAVAILABLE)


def assert_unavailable_json(response):
    assert response.status_code == 503, response.content[:300]
    assert int(response["Retry-After"]) > 0
    error = response.json()["error"]
    assert error["code"] == "database_unavailable" and all(text in error["message"] for text in UNAVAILABLE)


def test_a_registration_whose_database_goes_away_half_way_answers_503_saves_nothing_and_a_retry_succeeds(people, units):
    client = staff_client(people, "dengji")
    gone = GoneAt(PETITION_INSERT)  # the case row is already written when the petition's fails
    with connection.execute_wrapper(gone):
        failed = client.post("/register/", register_form())

    assert gone.failed == 1
    assert_unavailable_page(failed)
    assert nothing_saved()
    retry = client.post("/register/", register_form())
    case = Case.objects.get()
    assert retry.status_code == 302 and retry["Location"] == f"/cases/{case.number}/"
    assert case.number.endswith("-00001")  # the failed attempt used up no number


def test_an_api_registration_whose_database_goes_away_answers_503_in_the_error_shape_and_a_retry_succeeds(people, units):
    client, auth = Client(raise_request_exception=False), bearer(people, "dengji")
    gone = GoneAt(PETITION_INSERT)
    with connection.execute_wrapper(gone):
        failed = client.post("/api/v1/petitions", API_PETITION, content_type="application/json", headers=auth)

    assert_unavailable_json(failed)
    assert nothing_saved()
    retry = client.post("/api/v1/petitions", API_PETITION, content_type="application/json", headers=auth)
    assert retry.status_code == 201 and Case.objects.get().number == retry.json()["case"]["number"]


def test_a_database_gone_before_the_view_runs_answers_503_too(people, units):
    """The first query of a request is the session's or the token's, in a middleware."""
    client, auth = staff_client(people, "dengji"), bearer(people, "dengji")
    with connection.execute_wrapper(GoneAt(r"django_session")):
        page = client.get("/work/")
    with connection.execute_wrapper(GoneAt(r'"api_apitoken"')):
        api = client.get("/api/v1/cases", headers=auth)

    assert_unavailable_page(page)
    assert_unavailable_json(api)
    assert client.get("/work/").status_code == 200 and client.get("/api/v1/cases", headers=auth).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_server_that_drops_the_connection_mid_request_answers_503_and_the_next_request_reconnects(people, units):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite is a file opened by the process itself: there is no server to go away")
    client = staff_client(people, "dengji")
    killed = []

    def kill_the_backend(execute, sql, params, many, context):
        if not killed and re.search(PETITION_INSERT, sql):
            pid = connection.connection.info.backend_pid
            other = connections.create_connection("default")
            try:
                with other.cursor() as cursor:
                    cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            finally:
                other.close()
            killed.append(pid)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(kill_the_backend):
        failed = client.post("/register/", register_form())

    assert killed
    assert_unavailable_page(failed)
    assert nothing_saved()
    retry = client.post("/register/", register_form())
    assert retry.status_code == 302 and Case.objects.count() == 1
    assert connection.connection.info.backend_pid != killed[0]  # a new server connection


# --- (b) the task queue is down -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the indexing is queued when the registration commits
def test_registration_succeeds_while_the_task_queue_is_down_and_is_indexed_once_it_is_back(people, units, settings, monkeypatch,
                                                                                         caplog):
    from huey.contrib.djhuey import HUEY
    from huey.storage import MemoryStorage, RedisStorage

    from xinfang.nlp import tasks
    from xinfang.nlp.index import unindexed_petitions
    from xinfang.nlp.models import SearchDocument, TextProfile

    settings.XINFANG_NLP = {"index_mode": "queue"}
    monkeypatch.setattr(HUEY, "_immediate", False)
    # Redis that refuses every connection: a queue that is down.
    monkeypatch.setattr(HUEY, "storage", RedisStorage(name="xinfang", url="redis://127.0.0.1:1/0"))

    api = Client(raise_request_exception=False).post("/api/v1/petitions", API_PETITION, content_type="application/json",
                                                     headers=bearer(people, "dengji"))
    page = staff_client(people, "dengji").post("/register/", register_form(title="拖欠工资", content="老板拖欠工资三个月。"))

    assert api.status_code == 201, api.content[:300]
    assert page.status_code == 302
    petitions = list(Petition.objects.order_by("pk").values_list("pk", flat=True))
    assert len(petitions) == 2 and unindexed_petitions() == petitions  # registered, not yet indexed
    assert "task queue unavailable" in caplog.text

    # The queue is back: the consumer runs the periodic catch-up.
    monkeypatch.setattr(HUEY, "storage", MemoryStorage(name="xinfang"))
    tasks.catch_up_index()
    ran = 0
    while (task := HUEY.dequeue()) is not None:
        HUEY.execute(task)
        ran += 1

    assert ran == 1 and unindexed_petitions() == []
    assert TextProfile.objects.filter(pk__in=petitions).count() == 2
    assert SearchDocument.objects.filter(case__in=Case.objects.all()).count() == 2


@pytest.mark.django_db(transaction=True)  # the re-indexing is queued when the reply commits
def test_a_reply_made_while_the_queue_is_down_reaches_the_search_once_it_is_back(people, register_case, settings, monkeypatch):
    from huey.contrib.djhuey import HUEY
    from huey.storage import MemoryStorage, RedisStorage

    from xinfang.cases.services import perform
    from xinfang.nlp import tasks
    from xinfang.nlp.models import SearchDocument

    case = register_case()  # indexed as it is registered
    perform(case=case, action="accept", actor=people["dengji"])
    settings.XINFANG_NLP = {"index_mode": "queue"}
    monkeypatch.setattr(HUEY, "_immediate", False)
    monkeypatch.setattr(HUEY, "storage", RedisStorage(name="xinfang", url="redis://127.0.0.1:1/0"))
    perform(case=case, action="reply", actor=people["fuzeren"], outcome="explain", request_summary="请求发放补偿款",
            facts="经核实补偿款已拨付到镇财政所", opinion="责成财政所十日内发放到户", legal_basis="《信访工作条例》第三十二条")
    assert "拨付" not in SearchDocument.objects.get(case=case).body  # the queue was down: not re-indexed

    monkeypatch.setattr(HUEY, "storage", MemoryStorage(name="xinfang"))
    tasks.catch_up_index()
    while (task := HUEY.dequeue()) is not None:
        HUEY.execute(task)

    assert "拨付" in SearchDocument.objects.get(case=case).body


# --- (c) the attachments' disk is full --------------------------------------------------


class HalfWritten(ContentFile):
    """A file whose writing stops half-way: the disk is full."""

    def chunks(self, chunk_size=None):
        yield self.read()[:8]
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def disk_full_at_second_file(settings, tmp_path, monkeypatch):
    """The first file is stored; the disk fills up while the second is written."""
    settings.MEDIA_ROOT = tmp_path / "media"
    real_save, calls = FileSystemStorage._save, []

    def _save(self, name, content):
        calls.append(name)
        if len(calls) == 2:
            content = HalfWritten(content.read(), name=content.name)
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", _save)
    return settings.MEDIA_ROOT, calls


def files_in(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_full_disk_fails_the_registration_clearly_and_leaves_no_petition_and_no_file(people, units, disk_full_at_second_file):
    media, calls = disk_full_at_second_file
    client = staff_client(people, "dengji")
    response = client.post("/register/", {**register_form(), "attachments": [SimpleUploadedFile("来信.pdf", PDF),
                                                                             SimpleUploadedFile("现场.png", PNG)]})

    assert len(calls) == 2
    page = response.content.decode()
    assert response.status_code == 507 and "附件保存失败：服务器存储空间已满" in page
    assert "本人承包地于去年被征收，补偿款至今未发放到位。" in page  # what the clerk typed is still on the form
    assert nothing_saved()
    assert files_in(media) == []  # neither the first file nor the half-written second


def test_a_full_disk_fails_an_online_submission_clearly_and_leaves_nothing(units, disk_full_at_second_file):
    from django.core.cache import cache

    from xinfang.portal.captcha import new_challenge

    media, calls = disk_full_at_second_file
    cache.clear()
    challenge = new_challenge()
    response = Client().post("/portal/submit/", {
        "kind": "grievance", "name": "刘某", "phone": "13800000001", "unit": "341122-XFJ", "place": "城关镇东街",
        "content": "我家承包地去年被征收，村里至今没有发放征地补偿款，请求尽快发放。", "consent": "on",
        "captcha_key": challenge.key, "captcha": challenge.answer,
        "attachments": [SimpleUploadedFile("来信.pdf", PDF), SimpleUploadedFile("收据.pdf", PDF + b"%second")]})
    cache.clear()

    assert len(calls) == 2
    page = response.content.decode()
    assert response.status_code == 507 and "附件保存失败：服务器存储空间已满" in page
    assert "村里至今没有发放征地补偿款" in page  # what the petitioner typed is still on the form
    assert nothing_saved()
    assert files_in(media) == []


# --- (d) two clerks act on one case at once ---------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_clerks_one_on_the_page_one_through_the_api_one_wins_and_the_other_is_told(people, register_case):
    case = register_case()
    page_clerk = staff_client(people, "dengji")
    form = page_clerk.get(f"/cases/{case.number}/actions/accept/").content.decode()
    page_version = re.search(r'name="version" value="(\d+)"', form)[1]
    api_clerk, auth = Client(raise_request_exception=False), bearer(people, "fuzeren")
    api_version = api_clerk.get(f"/api/v1/cases/{case.number}", headers=auth).json()["version"]
    assert int(page_version) == api_version == case.version

    barrier, answers = threading.Barrier(2), {}

    def on_the_page():
        barrier.wait()
        answers["page"] = page_clerk.post(f"/cases/{case.number}/actions/accept/", {"version": page_version, "accept-note": "受理"})
        connection.close()

    def through_the_api():
        barrier.wait()
        answers["api"] = api_clerk.post(f"/api/v1/cases/{case.number}/actions/decline",
                                        {"version": api_version, "reason": "不属于信访事项", "proper_channel": "向法院起诉"},
                                        content_type="application/json", headers=auth)
        connection.close()

    threads = [threading.Thread(target=on_the_page), threading.Thread(target=through_the_api)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    page, api = answers["page"], answers["api"]
    case.refresh_from_db()
    if page.status_code == 302:  # the page clerk won
        assert case.status == "accepted"
        assert api.status_code == 409 and api.json()["error"]["code"] == "conflict" and "他人" in api.json()["error"]["message"]
    else:
        assert api.status_code == 200 and case.status == "declined"
        assert page.status_code == 409 and "该事项已被他人处理，请刷新后重试" in page.content.decode()
    assert case.version == api_version + 1
    assert CaseEvent.objects.filter(case=case).exclude(action="register").count() == 1
