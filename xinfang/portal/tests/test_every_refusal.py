"""Every refusal of the public site's services (portal/services.py), each naming its
field in Chinese and English and writing nothing: no submission, case, petition,
evaluation or event (issue #20). Limits pass at their edge."""

from contextlib import contextmanager

import pytest

from xinfang.cases.models import Case, CaseEvent, Evaluation
from xinfang.cases.services import perform
from xinfang.intake.models import Petition
from xinfang.lib.errors import Invalid, NotAllowed, NotFound, WrongState
from xinfang.portal import services
from xinfang.portal.models import Submission

pytestmark = pytest.mark.time_machine("2026-03-20 10:00 +0800", tick=False)


def counts():
    return [m.objects.count() for m in (Submission, Case, Petition, CaseEvent, Evaluation)]


@contextmanager
def refused(error=Invalid, *, field=None):
    before = counts()
    with pytest.raises(error) as caught:
        yield caught
    assert " / " in caught.value.message or "/ " in caught.value.message
    if field:
        assert field in caught.value.fields, caught.value.fields
    assert counts() == before


REFUSED = [
    ("unknown kind", "kind", dict(kind="complaint")),
    ("anonymous grievance", "anonymous", dict(anonymous=True)),
    ("no name", "name", dict(name="")),
    ("name of 41 characters", "name", dict(name="名" * 41)),
    ("grievance without a phone", "phone", dict(phone="")),
    ("a landline", "phone", dict(phone="055112345678")),
    ("bad ID number", "id_number", dict(id_number="110105194912310021")),
    ("address of 201 characters", "address", dict(address="址" * 201)),
    ("title of 61 characters", "title", dict(title="题" * 61)),
    ("content of 9 characters", "content", dict(content="补偿款至今没有发放")),
    ("content of 5,001 characters", "content", dict(content="字" * 5001)),
    ("place of 101 characters", "place", dict(place="地" * 101)),
    ("unknown unit", "unit", dict(unit="341122-NOPE")),
    ("no consent", "consent", dict(consent=False)),
]


@pytest.mark.parametrize("fields", [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_a_submission_is_refused(submit_online, fields):
    field, overrides = fields
    with refused(field=field):
        submit_online(**overrides)


AT_THE_LIMIT = [
    ("name of 40", dict(name="名" * 40)),
    ("address of 200", dict(address="址" * 200)),
    ("title of 60", dict(title="题" * 60)),
    ("content of 10", dict(content="补偿款至今没有发放到")),
    ("content of 5,000", dict(content="字" * 5000)),
    ("place of 100", dict(place="地" * 100)),
    ("an anonymous suggestion", dict(kind="suggestion", anonymous=True)),
    ("a suggestion without a phone", dict(kind="suggestion", phone="")),
]


@pytest.mark.parametrize("overrides", [r[1] for r in AT_THE_LIMIT], ids=[r[0] for r in AT_THE_LIMIT])
def test_a_submission_at_the_limit_is_registered(submit_online, overrides):
    receipt = submit_online(**overrides)
    assert receipt.submission.case.status == "registered"


def test_a_malformed_idempotency_key_is_refused(submit_online):
    for key in ["short", "k" * 65, "has spaces in it here"]:
        with refused(field="idempotency_key"):
            submit_online(idempotency_key=key)
    assert submit_online(idempotency_key="k" * 16).submission.idempotency_key == "k" * 16


@pytest.fixture
def answered(submit_online, replied):
    receipt = submit_online()
    replied(receipt.submission.case)
    receipt.submission.case.refresh_from_db()
    return receipt.submission


def test_a_comment_over_1000_characters_is_refused_and_1000_pass(answered):
    with refused(field="comment"):
        services.evaluate(submission=answered, satisfaction="satisfied", comment="评" * 1001)
    case = services.evaluate(submission=answered, satisfaction="satisfied", comment="评" * 1000)
    assert case.evaluations.get().comment == "评" * 1000


def test_review_reasons_over_5000_characters_are_refused(answered):
    with refused(field="reasons"):
        services.ask_review(submission=answered, reasons="理" * 5001)
    assert services.ask_review(submission=answered, reasons="理" * 5000).status == "review"


def test_an_unknown_satisfaction_is_refused(answered):
    with refused(field="satisfaction"):
        services.evaluate(submission=answered, satisfaction="meh")


@pytest.mark.parametrize("attachment_id", ["abc", None, 0, -1, 10**9])
def test_a_document_that_is_not_a_reply_document_of_this_case_is_not_found(answered, attachment_id):
    with refused(NotFound):
        services.document(submission=answered, attachment_id=attachment_id)


def test_staff_issue_codes_only_in_their_role_and_unit(register_case, people):
    case = register_case()
    assert services.issue_refusal(case, people["dengji"]) is None
    why = services.issue_refusal(case, people["lingdao"])
    assert isinstance(why, NotAllowed) and "角色" in why.message
    why = services.issue_refusal(case, people["zj_fuzeren"])
    assert isinstance(why, NotAllowed) and "不由您的单位" in why.message


def test_no_code_for_a_merged_case_nor_an_accusation_outside_its_office(register_case, people):
    merged, target = register_case(), register_case()
    perform(case=merged, action="merge", actor=people["dengji"], into=target.number)
    merged.refresh_from_db()
    with refused(WrongState):
        services.issue_code(case=merged, actor=people["dengji"])
    accusation = register_case(kind="accusation", title="举报村干部")
    perform(case=accusation, action="accept", actor=people["dengji"])
    accusation = perform(case=accusation, action="assign", actor=people["dengji"], unit="341122100")
    with refused(NotAllowed):
        services.issue_code(case=accusation, actor=people["cg_fuzeren"])
    assert services.issue_refusal(accusation, people["dengji"]) is None
