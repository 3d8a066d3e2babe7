import pytest
from django.core.cache import cache

from xinfang.api.tests.conftest import api_as  # noqa: F401  (a fixture: a staff API client)
from xinfang.cases.services import perform
from xinfang.portal import services
from xinfang.portal.captcha import new_challenge
from xinfang.notify.sms import LocmemBackend

CONTENT = "我家承包地去年被征收，村里至今没有发放征地补偿款，多次找村委会无果，请求尽快发放。"


@pytest.fixture(autouse=True)
def clean_slate(settings):
    """Counters live in the cache and messages in the locmem outbox: start each test
    with neither."""
    settings.SMS_BACKEND = "xinfang.notify.sms.LocmemBackend"
    cache.clear()
    LocmemBackend.outbox.clear()
    yield
    cache.clear()


@pytest.fixture
def solved():
    """A fresh captcha and its answer: (key, answer)."""

    def make():
        challenge = new_challenge()
        return challenge.key, challenge.answer

    return make


def submission_in(**overrides):
    fields = dict(kind="grievance", name="刘某", phone="13800000001", id_number="11010519491231002X", unit="341122-XFJ",
                  place="城关镇东街", title="征地补偿款未发放", content=CONTENT, consent=True)
    fields.update(overrides)
    return services.SubmissionIn(**fields)


@pytest.fixture
def submit_online(units, solved):
    """Submit through the portal service, with a solved captcha; returns the Receipt."""

    def make(files=(), idempotency_key="", ip="203.0.113.7", **overrides):
        key, answer = solved()
        return services.submit(data=submission_in(**overrides), files=files, idempotency_key=idempotency_key,
                               captcha_key=key, captcha_answer=answer, ip=ip)

    return make


REPLY = dict(outcome="support", request_summary="发放征地补偿款", facts="补偿款因分配方案未定而滞留。",
             opinion="责成村委会十日内发放到户。", legal_basis="《土地管理法》第四十八条")


@pytest.fixture
def replied(people):
    """Take a portal case through accept and a written reply at the county bureau."""

    def make(case, **reply):
        perform(case=case, action="accept", actor=people["dengji"], note="内部：属本县职权")
        return perform(case=case, action="reply", actor=people["fuzeren"], **{**REPLY, **reply})

    return make
