"""Fixtures of the case quality review and accountability tests: answered cases, one
answered by the county bureau itself, one by 城关镇 through the report-back flow."""

import pytest

from xinfang.cases.services import perform

REPLY = dict(outcome="support", request_summary="发放补偿款", facts="经核实补偿款未发放", opinion="责成十日内发放")
GOOD = {"facts": 24, "policy": 23, "answer": 18, "procedure": 9, "timeliness": 10, "documents": 9}
POOR = {"facts": 10, "policy": 10, "answer": 8, "procedure": 5, "timeliness": 5, "documents": 5}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def answered_here(register_case, people):
    """answered_here(**petition) -> a case the county bureau accepted and answered itself."""

    def make(**overrides):
        case = perform(case=register_case(**overrides), action="accept", actor=people["dengji"])
        return perform(case=case, action="reply", actor=people["fuzeren"], **REPLY)

    return make


@pytest.fixture
def answered_by_town(register_case, people):
    """A case the bureau assigned to 城关镇, answered there and approved (report-back)."""

    def make(**overrides):
        case = perform(case=register_case(**overrides), action="accept", actor=people["dengji"])
        case = perform(case=case, action="assign", actor=people["dengji"], unit="341122100")
        case = perform(case=case, action="start", actor=people["cg_chengban"])
        case = perform(case=case, action="report", actor=people["cg_fuzeren"], summary="已核实并发放补偿款", **REPLY)
        return perform(case=case, action="approve", actor=people["fuzeren"])

    return make
