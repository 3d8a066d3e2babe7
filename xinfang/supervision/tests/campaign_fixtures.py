"""Fixtures of the backlog campaign tests (imported by their modules): a county campaign
run by the bureau's supervisor, and cases held by 城关镇 answered through the report-back
flow (assign → start → report → approve)."""

import datetime

import pytest
from django.utils import timezone

from xinfang.cases.services import perform
from xinfang.supervision import campaigns

REPORT = dict(summary="已入户核实并发放补偿款", outcome="support", request_summary="发放补偿款", facts="经核实补偿款未发放",
              opinion="责成十日内发放")


@pytest.fixture
def campaign(people, units):
    today = timezone.localdate()
    return campaigns.create(actor=people["ducha"], name="2026年信访积案化解专项行动", unit=units["county"],
                            starts_on=today - datetime.timedelta(days=30), ends_on=today + datetime.timedelta(days=60),
                            leader=people["lingdao"])


@pytest.fixture
def held_case(register_case, people):
    """held_case(**registration) -> a case accepted at the bureau and assigned to 城关镇 (in progress)."""

    def make(**overrides):
        case = register_case(**overrides)
        perform(case=case, action="accept", actor=people["dengji"])
        perform(case=case, action="assign", actor=people["dengji"], unit="341122100")
        return perform(case=case, action="start", actor=people["cg_fuzeren"])

    return make


@pytest.fixture
def answered(people):
    """answered(case, **report) -> the case after 城关镇 reported and the bureau approved: it has a Reply."""

    def run(case, **report):
        perform(case=case, action="report", actor=people["cg_fuzeren"], **{**REPORT, **report})
        return perform(case=case, action="approve", actor=people["fuzeren"])

    return run
