import pytest

from xinfang.cases.services import perform

REPLY = dict(outcome="support", request_summary="发放补偿款", facts="经核实补偿款未发放", opinion="责成十日内发放")


@pytest.fixture
def act(people):
    """act("accept", case, "dengji", **params) -> the case after the action."""

    def run(action, case, who, **params):
        return perform(case=case, action=action, actor=people[who], **params)

    return run


@pytest.fixture
def replied_case(register_case, act):
    """A case registered at the county bureau, assigned to 城关镇 and answered there."""
    case = register_case()
    case = act("accept", case, "dengji")
    case = act("assign", case, "dengji", unit="341122100")
    return act("reply", case, "cg_fuzeren", **REPLY)
