"""Following is the busiest public route (target: p95 ≤ 100 ms with 50 clients): a fixed,
small number of queries however long the case's history, one query while nothing has
changed, and no slow hashing (the code is 75 random bits: an HMAC is enough)."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinfang.cases.models import CaseEvent
from xinfang.cases.services import perform
from xinfang.portal import codes, public
from xinfang.portal.services import find

from .conftest import REPLY
from .test_reply_documents import pdf

# find; the case and its units; replies; their documents; the notices with their delivery;
# events; evaluations; the latest reply's evaluation (2)
COLD_QUERIES = 9


def queries_to_follow(receipt, ip):
    cache.clear()  # a cold view: the worst case
    with CaptureQueriesContext(connection) as cold:
        public.view(find(code=receipt.code, verify="0001", ip=ip))
    with CaptureQueriesContext(connection) as warm:
        public.view(find(code=receipt.code, verify="0001", ip=ip))
    return len(cold), len(warm)


def test_the_number_of_queries_does_not_grow_with_the_history(submit_online, people):
    short = submit_online()
    perform(case=short.case, action="accept", actor=people["dengji"])
    perform(case=short.case, action="reply", actor=people["fuzeren"], **REPLY)

    long = submit_online(title="另一件")
    perform(case=long.case, action="accept", actor=people["dengji"])
    perform(case=long.case, action="extend", actor=people["fuzeren"], days=20, reason="需要调查")
    for i in range(40):
        CaseEvent.objects.create(case=long.case, action="accept", public=True, data={"handle_due": "2026-12-01"})
        CaseEvent.objects.create(case=long.case, action="note", note=f"内部{i}")
    perform(case=long.case, action="reply", actor=people["fuzeren"], documents=[pdf("一.pdf"), pdf("二.pdf")], **REPLY)
    perform(case=long.case, action="review", actor=people["dengji"], reasons="不服")
    perform(case=long.case, action="reply", actor=people["fuzeren"], documents=[pdf("三.pdf")], **REPLY)

    cold_short, warm_short = queries_to_follow(short, "192.0.2.30")
    cold_long, warm_long = queries_to_follow(long, "192.0.2.31")

    assert cold_short == cold_long <= COLD_QUERIES, (cold_short, cold_long)
    assert warm_short == warm_long == 1  # the code's row with its case; the view comes from the cache


def test_the_api_follow_is_one_query_while_nothing_changes(submit_online, replied, client):
    receipt = submit_online()
    replied(receipt.case)
    assert client.get(f"/api/v1/public/cases/{receipt.code}", {"verify": "0001"}).status_code == 200
    with CaptureQueriesContext(connection) as again:
        response = client.get(f"/api/v1/public/cases/{receipt.code}", {"verify": "0001"})
    assert response.status_code == 200 and len(again) == 1, [q["sql"] for q in again]


def test_the_follow_page_is_two_queries_while_nothing_changes(submit_online, replied, client):
    receipt = submit_online()
    replied(receipt.case)
    client.post("/portal/follow/", {"code": receipt.code, "verify": "0001"})
    client.get("/portal/follow/")
    with CaptureQueriesContext(connection) as again:
        response = client.get("/portal/follow/")
    assert response.status_code == 200 and len(again) == 2, [q["sql"] for q in again]  # the session, the code's row


def test_a_change_shows_at_once_despite_the_cache(submit_online, people):
    receipt = submit_online()
    assert public.view(find(code=receipt.code, verify="0001", ip="192.0.2.32"))["status"] == "registered"
    perform(case=receipt.case, action="accept", actor=people["dengji"])
    assert public.view(find(code=receipt.code, verify="0001", ip="192.0.2.32"))["status"] == "accepted"


def test_no_password_hasher_runs_on_the_follow_path(submit_online, replied, client, monkeypatch):
    from django.contrib.auth import hashers

    receipt = submit_online()
    replied(receipt.case)

    def slow(*args, **kwargs):
        raise AssertionError("a password hasher ran while following a case")

    for name in ("make_password", "check_password", "identify_hasher"):
        monkeypatch.setattr(hashers, name, slow)
    monkeypatch.setattr(hashers.Argon2PasswordHasher, "verify", slow)
    monkeypatch.setattr(hashers.Argon2PasswordHasher, "encode", slow)
    assert client.get(f"/api/v1/public/cases/{receipt.code}", {"verify": "0001"}).status_code == 200
    assert client.post("/portal/follow/", {"code": receipt.code, "verify": "0001"}).status_code == 302
    assert client.get("/portal/follow/").status_code == 200


def test_a_code_and_its_last_four_check_out(submit_online):
    """Their speed (2,000 checks under a second): bench/timings.py codes."""
    receipt = submit_online()
    submission = receipt.submission
    assert codes.verifies(submission, "0001") and codes.verifies(submission, "138-0000-0001")
    assert not codes.verifies(submission, "0002") and not codes.verifies(submission, "001")
    assert codes.code_hash(codes.normalize(receipt.code.lower())) == submission.code_hash
