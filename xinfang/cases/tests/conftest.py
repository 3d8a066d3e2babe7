import pytest

from xinfang.cases.services import perform
from xinfang.tests.answer import answer

REPLY = dict(outcome="support", request_summary="发放补偿款", facts="经核实补偿款未发放", opinion="责成十日内发放")


@pytest.fixture
def act(people):
    """act("accept", case, "dengji", **params) -> the case after the action."""

    def run(action, case, who, **params):
        return perform(case=case, action=action, actor=people[who], **params)

    return run


@pytest.fixture
def replied_case(register_case, act, people):
    """A case registered at the county bureau, assigned to 城关镇 and answered there: its
    result report accepted by the bureau."""
    case = register_case()
    case = act("accept", case, "dengji")
    case = act("assign", case, "dengji", unit="341122100")
    return answer(case, people["cg_fuzeren"], **REPLY)


@pytest.fixture
def answer_as(people):
    """answer_as(case, "cg_fuzeren", **reply) -> the case answered by that head: directly,
    or for an assigned case through its result report accepted by the assigning unit
    (xinfang/tests/answer.py)."""

    def run(case, who, **params):
        return answer(case, people[who], **params)

    return run
