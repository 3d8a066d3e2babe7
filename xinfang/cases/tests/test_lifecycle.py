import time_machine

from xinfang.cases.choices import Status
from xinfang.cases.services import perform


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_a_case_goes_from_registration_through_review_to_conclusion(people, units, register_case):
    case = register_case()
    assert case.status == Status.REGISTERED
    assert case.number == "341122-XFJ-2026-00001"
    assert str(case.decide_due) == "2026-03-17"

    case = perform(case=case, action="accept", actor=people["dengji"])
    assert case.status == Status.ACCEPTED and str(case.handle_due) == "2026-05-06"
    case = perform(case=case, action="assign", actor=people["dengji"], unit="341122100")
    assert case.current_unit == units["chengguan"]
    case = perform(case=case, action="start", actor=people["cg_chengban"])
    # An assigned case is answered through its result report, accepted by the bureau.
    case = perform(case=case, action="report", actor=people["cg_fuzeren"], summary="已核实并督促村委会发放", outcome="support",
                   request_summary="发放补偿款", facts="补偿款已核实未发放", opinion="责成村委会十日内发放")
    assert case.status == Status.REPORTED and not case.replies.exists()
    case = perform(case=case, action="approve", actor=people["fuzeren"])
    assert case.status == Status.REPLIED and case.replied_on_time
    case = perform(case=case, action="evaluate", actor=people["dengji"], satisfaction="not_satisfied")
    case = perform(case=case, action="review", actor=people["dengji"], reasons="补偿标准过低")
    assert case.current_unit == units["county"] and case.status == Status.REVIEW
    case = perform(case=case, action="reply", actor=people["fuzeren"], outcome="explain", request_summary="提高补偿标准",
                   facts="标准符合规定", opinion="维持原处理意见")
    assert case.status == Status.REVIEWED
    case = perform(case=case, action="re_review", actor=people["dengji"], reasons="仍不服")
    assert case.current_unit == units["city"]
    case = perform(case=case, action="reply", actor=people["city_fuzeren"], outcome="not_support", request_summary="提高补偿标准",
                   facts="标准符合规定", opinion="复核维持")
    assert case.status == Status.CONCLUDED
    assert list(case.events.values_list("action", flat=True)) == [
        "register", "accept", "assign", "start", "report", "approve", "evaluate", "review", "reply", "re_review", "reply"]
