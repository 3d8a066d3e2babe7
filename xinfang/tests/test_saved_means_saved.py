"""An answer never lies about what was saved (issue 11, item 2): when the database fails
after a registration has committed (reading similar petitions, loading the answer), the
answer is still the success — 201 with what is known, the case page's redirect, the
public receipt — never "503 nothing was saved". And a staff client that retries with the
same Idempotency-Key creates no second petition."""

from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client

from xinfang.cases.models import Case
from xinfang.intake.models import Petition

from .test_faults import API_PETITION, bearer, register_form, staff_client


class GoneAfter:
    """The database is gone from the moment `function` (a service that commits) has
    returned: every later statement fails."""

    def __init__(self, monkeypatch, module, name):
        self.gone, self.failed = False, 0
        real = getattr(module, name)

        def committed(*args, **kwargs):
            result = real(*args, **kwargs)
            self.gone = True
            return result

        monkeypatch.setattr(module, name, committed)

    def __call__(self, execute, sql, params, many, context):
        if self.gone:
            self.failed += 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def test_an_api_registration_whose_database_fails_after_the_commit_answers_201_and_says_what_is_missing(people, units,
                                                                                                        monkeypatch):
    from xinfang.api.routers import petitions

    client, auth = Client(raise_request_exception=False), bearer(people, "dengji")
    gone = GoneAfter(monkeypatch, petitions, "register_once")
    with connection.execute_wrapper(gone):
        answer = client.post("/api/v1/petitions", API_PETITION, content_type="application/json", headers=auth)

    assert gone.failed >= 1  # the similar petitions were asked for, and failed
    assert answer.status_code == 201, answer.content[:400]
    body = answer.json()
    assert body["case"]["number"] == Case.objects.get().number and body["petition"]["title"] == API_PETITION["title"]
    assert body["related"] == [] and body["related_unavailable"] is True and "已登记" in body["notice"]


def test_the_register_page_whose_database_fails_after_the_commit_goes_to_the_saved_case(people, units, monkeypatch):
    from xinfang.web import views

    client = staff_client(people, "dengji")
    gone = GoneAfter(monkeypatch, views, "register_once")
    with connection.execute_wrapper(gone):
        page = client.post("/register/", register_form())

    case = Case.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/cases/{case.number}/"


def test_a_public_submission_whose_database_fails_after_the_commit_shows_its_receipt(units, monkeypatch):
    from xinfang.portal import services
    from xinfang.portal.captcha import new_challenge

    cache.clear()
    form, api = new_challenge(), new_challenge()
    gone = GoneAfter(monkeypatch, services, "submit")
    content = "我家承包地去年被征收，村里至今没有发放征地补偿款，请求尽快发放。"
    with connection.execute_wrapper(gone):
        page = Client(raise_request_exception=False).post("/portal/submit/", {
            "kind": "grievance", "name": "刘某", "phone": "13800000001", "unit": "341122-XFJ", "place": "城关镇东街",
            "content": content, "consent": "on", "captcha_key": form.key, "captcha": form.answer})
        gone.gone = False
        answer = Client(raise_request_exception=False).post("/api/v1/public/petitions", {
            "kind": "grievance", "name": "王某", "phone": "13800000002", "unit": "341122-XFJ", "content": content,
            "consent": True, "captcha_key": api.key, "captcha_answer": api.answer}, content_type="application/json")
    cache.clear()

    numbers = list(Case.objects.order_by("pk").values_list("number", flat=True))
    assert len(numbers) == 2
    assert page.status_code == 200 and numbers[0] in page.content.decode()
    assert answer.status_code == 201 and answer.json()["case"]["number"] == numbers[1]


def test_a_staff_client_that_retries_with_its_idempotency_key_registers_once(people, units):
    client, auth = Client(raise_request_exception=False), bearer(people, "dengji")
    keyed = {**auth, "Idempotency-Key": "retry-0123456789abcdef"}
    first = client.post("/api/v1/petitions", API_PETITION, content_type="application/json", headers=keyed)
    again = client.post("/api/v1/petitions", API_PETITION, content_type="application/json", headers=keyed)
    other = client.post("/api/v1/petitions", {**API_PETITION, "title": "另一件事"}, content_type="application/json", headers=keyed)
    bad = client.post("/api/v1/petitions", API_PETITION, content_type="application/json", headers={**auth, "Idempotency-Key": "x"})

    assert first.status_code == 201 and again.status_code == 201
    assert again.json()["replayed"] is True and first.json()["replayed"] is False
    assert again.json()["case"]["number"] == first.json()["case"]["number"]
    assert other.status_code == 409 and other.json()["error"]["code"] == "idempotency_conflict"
    assert bad.status_code == 422
    assert Petition.objects.count() == 1
    # Another clerk's key is another key.
    theirs = client.post("/api/v1/petitions", API_PETITION, content_type="application/json",
                         headers={**bearer(people, "fuzeren"), "Idempotency-Key": "retry-0123456789abcdef"})
    assert theirs.status_code == 201 and Petition.objects.count() == 2


def test_a_retry_after_a_failure_after_the_commit_finds_the_first_petition(people, units, monkeypatch):
    from xinfang.api.routers import petitions

    client, auth = Client(raise_request_exception=False), bearer(people, "dengji")
    keyed = {**auth, "Idempotency-Key": "lost-answer-0123456789"}
    gone = GoneAfter(monkeypatch, petitions, "similar_petitions")
    with connection.execute_wrapper(gone):
        first = client.post("/api/v1/petitions", API_PETITION, content_type="application/json", headers=keyed)
    retry = client.post("/api/v1/petitions", API_PETITION, content_type="application/json", headers=keyed)
    assert first.status_code == 201 and retry.status_code == 201 and retry.json()["replayed"] is True
    assert Petition.objects.count() == 1


def test_an_action_whose_case_cannot_be_read_back_after_the_commit_answers_that_it_is_saved(people, register_case, monkeypatch):
    from xinfang.api.routers import cases

    case = register_case()
    client, auth = Client(raise_request_exception=False), bearer(people, "dengji")
    gone = GoneAfter(monkeypatch, cases, "perform")
    with connection.execute_wrapper(gone):
        answer = client.post(f"/api/v1/cases/{case.number}/actions/accept", {}, content_type="application/json", headers=auth)
    normal = client.post(f"/api/v1/cases/{case.number}/actions/note", {"note": "已联系"}, content_type="application/json",
                         headers=auth)

    case.refresh_from_db()
    assert case.status == "accepted"
    assert answer.status_code == 200, answer.content[:400]
    assert answer.json() == {"number": case.number, "status": "accepted", "version": case.version - 1,
                             "detail_unavailable": True, "notice": cases.DETAIL_UNAVAILABLE}
    assert normal.status_code == 200 and normal.json()["number"] == case.number and "petitions" in normal.json()
