"""Following a case shows its status in plain words, every legal deadline and whether
it was kept, the written replies, and the next step the petitioner may take."""

import datetime

import time_machine

from xinfang.cases.services import perform
from xinfang.portal import public
from xinfang.portal.services import find

from .conftest import REPLY


def states(view):
    return {d["name"]: d["state"] for d in view["deadlines"]}


def test_a_new_case_shows_when_acceptance_will_be_decided(submit_online):
    receipt = submit_online()
    view = public.view(find(code=receipt.code, verify="0001", ip="192.0.2.1"))
    assert view["status"] == "registered" and view["status_label"] == "已登记，等待受理"
    assert "告知您是否受理" in view["status_text"]
    assert states(view) == {"decide": "open"}
    assert not view["next_steps"]["evaluate"]["allowed"] and view["next_steps"]["evaluate"]["reason"] == "书面答复作出后才能评价。"
    assert not view["next_steps"]["review"]["allowed"]


def test_a_missed_deadline_is_shown_as_missed_and_a_kept_one_as_kept(people, units, solved, deliver):
    from xinfang.portal import services

    from .conftest import submission_in

    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        key, answer = solved()
        receipt = services.submit(data=submission_in(), captcha_key=key, captcha_answer=answer)
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):  # decide_due 2026-03-17
        view = public.view(receipt.submission)
        assert states(view) == {"decide": "overdue"}
        assert "已超期3天" in view["deadlines"][0]["state_text"]
        perform(case=receipt.case, action="accept", actor=people["dengji"])
    with time_machine.travel("2026-04-01 10:00 +0800", tick=False):
        perform(case=receipt.case, action="reply", actor=people["fuzeren"], **REPLY)
        receipt.submission.case.refresh_from_db()
        view = public.view(receipt.submission)
        assert states(view) == {"decide": "late", "handle": "kept", "review_window": "pending_delivery"}
        deliver(receipt.case)
        receipt.submission.case.refresh_from_db()
        view = public.view(receipt.submission)
    assert states(view) == {"decide": "late", "handle": "kept", "review_window": "window_open"}
    assert view["replies"][0]["opinion"] == REPLY["opinion"] and view["replies"][0]["unit"] == "安宁县信访局"
    assert view["next_steps"]["evaluate"]["allowed"] and view["next_steps"]["review"]["allowed"]
    # 30 days end on 1 May, a holiday: the window runs to the next working day (民法典 Art. 203).
    assert view["next_steps"]["review"]["window_end"] == datetime.date(2026, 5, 6)


def test_a_declined_case_tells_the_reason_and_the_proper_channel(submit_online, people):
    receipt = submit_online()
    perform(case=receipt.case, action="decline", actor=people["dengji"], reason="属于劳动争议", proper_channel="向县劳动人事争议仲裁委员会申请仲裁",
            guided_procedure="arbitration")
    receipt.submission.case.refresh_from_db()
    view = public.view(receipt.submission)
    assert view["notice"] == {"reason": "属于劳动争议", "proper_channel": "向县劳动人事争议仲裁委员会申请仲裁", "guided_procedure": "仲裁"}
    assert "不适用复查" in view["next_steps"]["review"]["reason"]


def test_after_a_review_answer_the_next_step_is_re_review(submit_online, replied, people):
    receipt = submit_online()
    replied(receipt.case)
    perform(case=receipt.case, action="review", actor=people["dengji"], reasons="不服")
    perform(case=receipt.case, action="reply", actor=people["fuzeren"], **REPLY)
    receipt.submission.case.refresh_from_db()
    view = public.view(receipt.submission)
    assert view["status"] == "reviewed"
    step = view["next_steps"]["review"]
    assert step["action"] == "re_review" and step["allowed"] and step["label"] == "申请复核"
    assert [r["stage"] for r in view["replies"]] == ["handling", "review"]


def test_following_takes_a_fixed_handful_of_queries(submit_online, replied, django_assert_max_num_queries):
    receipt = submit_online()
    replied(receipt.case)
    with django_assert_max_num_queries(9):  # the notices sent, with their delivery: one more
        public.view(find(code=receipt.code, verify="0001", ip="192.0.2.2"))
