"""A double click or a retried request creates one petition, not two, and answers with
the same query code; the same key with other content is refused."""

import secrets
import threading

import pytest
from django.db import connection

from xinfang.intake.models import Petition
from xinfang.lib.errors import Conflict, Invalid
from xinfang.portal import services
from xinfang.portal.captcha import new_challenge
from xinfang.portal.models import Submission

from .conftest import submission_in


def test_a_retry_with_the_same_key_answers_the_same_petition_and_code(units):
    key = secrets.token_urlsafe(24)
    challenge = new_challenge()
    first = services.submit(data=submission_in(), idempotency_key=key, captcha_key=challenge.key, captcha_answer=challenge.answer)
    # The retry carries the same form: the same (now used) captcha too.
    again = services.submit(data=submission_in(), idempotency_key=key, captcha_key=challenge.key, captcha_answer=challenge.answer)
    assert again.replayed and not first.replayed
    assert again.code == first.code and again.case == first.case
    assert Petition.objects.count() == 1 and Submission.objects.count() == 1


def test_the_same_key_with_other_content_is_refused(units, solved):
    key = secrets.token_urlsafe(24)
    services.submit(data=submission_in(), idempotency_key=key, captcha_key=(c := solved())[0], captcha_answer=c[1])
    with pytest.raises(Conflict) as err:
        services.submit(data=submission_in(content="完全不同的另一件事情，请求处理。" * 2), idempotency_key=key,
                        captcha_key=(c := solved())[0], captcha_answer=c[1])
    assert err.value.code == "idempotency_conflict"
    assert Petition.objects.count() == 1


def test_a_weak_key_is_refused(units, solved):
    with pytest.raises(Invalid) as err:
        services.submit(data=submission_in(), idempotency_key="1", captcha_key=(c := solved())[0], captcha_answer=c[1])
    assert "idempotency_key" in err.value.fields


def test_without_a_key_two_submissions_are_two_petitions(units, solved):
    a = services.submit(data=submission_in(), captcha_key=(c := solved())[0], captcha_answer=c[1])
    b = services.submit(data=submission_in(), captcha_key=(c := solved())[0], captcha_answer=c[1])
    assert a.code != b.code and Petition.objects.count() == 2


def test_a_captcha_used_by_one_submission_does_not_pass_another(units):
    challenge = new_challenge()
    services.submit(data=submission_in(), idempotency_key=secrets.token_urlsafe(24), captcha_key=challenge.key,
                    captcha_answer=challenge.answer)
    with pytest.raises(Invalid) as err:
        services.submit(data=submission_in(content="另一件事情，与前一件无关，请求处理。"), idempotency_key=secrets.token_urlsafe(24),
                        captcha_key=challenge.key, captcha_answer=challenge.answer)
    assert "captcha" in err.value.fields


@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_at_the_same_moment_make_one_petition(units):
    key = secrets.token_urlsafe(24)
    challenge = new_challenge()
    barrier = threading.Barrier(3)
    results = [None] * 3

    def worker(i):
        try:
            barrier.wait()
            results[i] = services.submit(data=submission_in(), idempotency_key=key, captcha_key=challenge.key,
                                         captcha_answer=challenge.answer, ip="203.0.113.9")
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({r.code for r in results}) == 1 and len({r.case.pk for r in results}) == 1
    assert Petition.objects.count() == 1 and Submission.objects.count() == 1
