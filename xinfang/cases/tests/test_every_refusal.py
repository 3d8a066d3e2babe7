"""Each refusal of the case services (every raise in cases/services.py that a user can
reach), triggered, with the proof that nothing changed: the case row, its timeline,
routings, replies, evaluations, petitions and the audit record are as they were.

test_refusals.py has the first ones; these are the rest (issue #20)."""

import datetime
from contextlib import contextmanager

import pytest
from django.forms.models import model_to_dict

from xinfang.audit.models import AuditEntry
from xinfang.cases.models import Case, CaseAssignment, CaseEvent, Evaluation, Reply
from xinfang.cases.services import perform, perform_as_petitioner, petitioner_refusal
from xinfang.documents.models import Delivery, Document
from xinfang.documents.tests import factories
from xinfang.intake.models import Attachment, Petition
from xinfang.lib.errors import Invalid, NotAllowed, NotFound, WrongState

from .conftest import REPLY

pytestmark = pytest.mark.time_machine("2026-03-20 10:00 +0800", tick=False)


def snapshot():
    """Everything a case action may write, for every case."""
    return {
        "cases": [model_to_dict(c) for c in Case.objects.order_by("pk")],
        "events": CaseEvent.objects.count(),
        "routings": list(CaseAssignment.objects.order_by("pk").values_list("unit_id", "is_lead", "returned_at")),
        "replies": Reply.objects.count(),
        "evaluations": Evaluation.objects.count(),
        "petitions": list(Petition.objects.order_by("pk").values_list("case_id", "is_repeat")),
        "attachments": list(Attachment.objects.order_by("pk").values_list("case_id", flat=True)),
        "audit": AuditEntry.objects.count(),
        "deliveries": list(Delivery.objects.order_by("pk").values_list("delivered_on", "channel", "superseded_at")),
        "documents": Document.objects.count(),
    }


@contextmanager
def refused(error, *, field=None, says=None):
    """The block raises `error`, bilingual, naming `field` or saying `says`, and writes nothing."""
    before = snapshot()
    with pytest.raises(error) as caught:
        yield caught
    message = caught.value.message
    assert " / " in message or "/ " in message, f"not bilingual: {message}"
    if field:
        assert field in caught.value.fields, caught.value.fields
    if says:
        assert says in message, message
    assert snapshot() == before


@pytest.fixture
def accepted(register_case, act):
    return act("accept", register_case(), "dengji")


@pytest.fixture
def assigned(accepted, act):
    return act("assign", accepted, "dengji", unit="341122100")


# --- deciding and routing ---------------------------------------------------------------


def test_forwarding_to_ones_own_unit_is_refused(register_case, act):
    case = register_case()
    with refused(Invalid, field="unit", says="本单位"):
        act("forward", case, "dengji", unit="341122-XFJ")


def test_forwarding_needs_a_known_active_unit(register_case, act, units):
    case = register_case()
    with refused(Invalid, field="unit"):
        act("forward", case, "dengji")
    with refused(Invalid, field="unit", says="单位不存在"):
        act("forward", case, "dengji", unit="341122-NOPE")
    units["land"].is_active = False
    units["land"].save(update_fields=["is_active"])
    with refused(Invalid, field="unit", says="单位不存在"):
        act("forward", case, "dengji", unit="341122-ZRZY")


def test_assigning_to_an_inactive_unit_is_refused(accepted, act, units):
    units["chengguan"].is_active = False
    units["chengguan"].save(update_fields=["is_active"])
    with refused(Invalid, field="unit"):
        act("assign", accepted, "dengji", unit="341122100")


def test_an_assigned_due_date_after_the_legal_deadline_is_refused(accepted, act):
    assert accepted.handle_due == datetime.date(2026, 5, 19)
    with refused(Invalid, field="due_date", says="不得晚于法定办理期限"):
        act("assign", accepted, "dengji", unit="341122100", due_date="2026-05-20")
    case = act("assign", accepted, "dengji", unit="341122100", due_date="2026-05-19")  # the legal deadline itself
    assert case.handle_due == datetime.date(2026, 5, 19)


def test_an_assigned_due_date_in_the_past_is_refused_and_today_is_not_the_past(accepted, act):
    with refused(Invalid, field="due_date", says="不能早于今天"):
        act("assign", accepted, "dengji", unit="341122100", due_date="2026-03-19")
    case = act("assign", accepted, "dengji", unit="341122100", due_date=datetime.date(2026, 3, 20))
    assert case.handle_due == datetime.date(2026, 3, 20) and case.status == "assigned"


def test_an_assigned_due_date_that_is_not_a_date_is_refused(accepted, act):
    with refused(Invalid, field="due_date"):
        act("assign", accepted, "dengji", unit="341122100", due_date="20 May")


def test_a_proper_channel_over_200_characters_is_refused_and_200_pass(register_case, act):
    case = register_case()
    with refused(Invalid, field="proper_channel"):
        act("decline", case, "dengji", reason="属于诉讼程序", proper_channel="向" * 201)
    case = act("decline", case, "dengji", reason="属于诉讼程序", proper_channel="向" * 200)
    assert case.status == "declined"


def test_an_unknown_statutory_procedure_is_refused(register_case, act):
    case = register_case()
    with refused(Invalid, field="guided_procedure"):
        act("decline", case, "dengji", reason="属于诉讼程序", proper_channel="向法院起诉", guided_procedure="prayer")


def test_refusing_needs_a_basis_and_a_reason(register_case, act):
    case = register_case()
    with refused(Invalid, field="basis"):
        act("refuse", case, "dengji", reason="已复核终结")
    with refused(Invalid, field="reason"):
        act("refuse", case, "dengji", basis="art36")


# --- returning -----------------------------------------------------------------------------


def test_returning_a_case_never_routed_to_the_unit_is_refused(accepted, act):
    case = act("start", accepted, "chengban")  # the bureau handles it itself
    with refused(WrongState, says="不是交办或转送给本单位的"):
        act("return", case, "fuzeren", reason="不属于本局职责")


def test_returning_needs_a_reason(assigned, act):
    with refused(Invalid, field="reason"):
        act("return", assigned, "cg_fuzeren", reason="")


# --- extending ---------------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, -1, 31])
def test_an_extension_outside_one_to_thirty_days_is_refused(accepted, act, days):
    with refused(Invalid, field="days", says="1 to 30"):
        act("extend", accepted, "fuzeren", days=days, reason="需要现场核查")


def test_an_extension_of_one_day_and_of_thirty_pass(register_case, act):
    one = act("extend", act("accept", register_case(), "dengji"), "fuzeren", days=1, reason="补充材料")
    assert one.extended_days == 1 and one.handle_due == datetime.date(2026, 5, 20)
    thirty = act("extend", act("accept", register_case(), "dengji"), "fuzeren", days="30", reason="需要现场核查")
    assert thirty.extended_days == 30 and thirty.handle_due == datetime.date(2026, 6, 18)


def test_an_extension_that_is_not_a_number_is_refused(accepted, act):
    with refused(Invalid, field="days", says="整数"):
        act("extend", accepted, "fuzeren", days="ten", reason="需要现场核查")
    with refused(Invalid, field="days"):
        act("extend", accepted, "fuzeren", reason="需要现场核查")


# --- replying and evaluating -----------------------------------------------------------------


def test_a_reply_with_an_unknown_outcome_writes_nothing(accepted, act):
    with refused(Invalid, field="outcome"):
        act("reply", accepted, "fuzeren", **{**REPLY, "outcome": "maybe"})


@pytest.mark.parametrize("documents", ["scan.pdf", b"%PDF", ["scan.pdf"]])
def test_reply_documents_must_be_uploaded_files(accepted, act, documents):
    with refused(Invalid, field="documents"):
        act("reply", accepted, "fuzeren", **REPLY, documents=documents)


def test_an_evaluation_by_an_unknown_channel_is_refused(replied_case, act):
    with refused(Invalid, field="channel"):
        act("evaluate", replied_case, "dengji", satisfaction="satisfied", channel="pigeon")
    case = act("evaluate", replied_case, "dengji", satisfaction="satisfied", channel="phone")
    assert case.evaluations.get().channel == "phone"


def test_an_evaluation_needs_a_satisfaction(replied_case, act):
    with refused(Invalid, field="satisfaction"):
        act("evaluate", replied_case, "dengji", comment="还行")


def test_follow_ups_and_notes_need_their_text(replied_case, act):
    with refused(Invalid, field="note"):
        act("follow_up", replied_case, "dengji", method="phone")
    with refused(Invalid, field="note"):
        act("note", replied_case, "dengji", note="")


# --- review and re-review ----------------------------------------------------------------


def test_review_with_no_higher_unit_is_refused(register_case, act, people, units):
    """A case answered by the city government: nothing above it in this county's world."""
    case = register_case(actor=people["city_fuzeren"], receiving_unit=units["city"])
    case = act("reply", act("accept", case, "city_fuzeren"), "city_fuzeren", **REPLY)
    assert case.current_unit == units["city"]
    with refused(WrongState, says="没有可受理复查的上一级机关"):
        act("review", case, "city_fuzeren", reasons="不服")
    assert "上一级" in petitioner_refusal(case, "review").message


def test_re_review_with_no_higher_unit_is_refused(register_case, act, units):
    """Answered by the county government, reviewed by the city: no one above the city."""
    case = act("accept", register_case(receiving_unit=units["county"]), "dengji")
    case = act("reply", case, "fuzeren", **REPLY)
    case = act("review", case, "dengji", reasons="不服")
    assert case.current_unit == units["city"]
    case = act("reply", case, "city_fuzeren", **REPLY)
    assert case.status == "reviewed" and case.review_unit == units["city"]
    with refused(WrongState, says="没有可受理复核的上一级机关"):
        act("re_review", case, "dengji", reasons="仍不服")


def test_review_needs_reasons(replied_case, act):
    with refused(Invalid, field="reasons"):
        act("review", replied_case, "dengji", reasons="")


# --- merging and splitting ---------------------------------------------------------------


def test_a_merge_with_an_unknown_reason_is_refused(register_case, act):
    target, case = register_case(), register_case()
    with refused(Invalid, field="reason"):
        act("merge", case, "dengji", into=target.number, reason="similar")


@pytest.mark.parametrize("how", ["merged", "archived"])
def test_a_merge_into_a_merged_or_archived_case_is_refused(register_case, act, how):
    target, case = register_case(), register_case()
    if how == "merged":
        act("merge", target, "dengji", into=register_case().number)
    else:
        target = act("archive", act("decline", target, "dengji", reason="非信访事项", proper_channel="向法院起诉"), "dengji")
    target.refresh_from_db()
    assert target.status == how
    with refused(WrongState, says="不能并入"):
        act("merge", case, "dengji", into=target.number)


def test_splitting_after_the_target_was_merged_again_is_refused(register_case, act):
    first, second, third = register_case(), register_case(), register_case()
    act("merge", first, "dengji", into=second.number)
    act("merge", second, "dengji", into=third.number)
    with refused(WrongState, says="请先撤销后来的并案"):
        act("split", first, "dengji")


# --- the petitioner's own moves ----------------------------------------------------------


def test_the_petitioner_may_not_take_a_staff_action_and_nothing_is_written(replied_case):
    with refused(Exception, says="信访人不能"):
        perform_as_petitioner(case=replied_case, action="close")


def test_the_petitioner_of_an_unknown_case_is_told_so(replied_case):
    with refused(NotFound):
        perform_as_petitioner(case=10**9, action="evaluate", satisfaction="satisfied")


def test_the_petitioners_review_needs_reasons_and_takes_no_other_parameters(replied_case):
    with refused(Invalid, field="reasons"):
        perform_as_petitioner(case=replied_case, action="review", reasons="")
    with refused(Invalid, field="unit"):
        perform_as_petitioner(case=replied_case, action="review", reasons="不服", unit="341100")


def test_an_unknown_or_hidden_case_is_not_found_for_staff(replied_case, people):
    with refused(NotFound):
        perform(case="341122-XFJ-2026-99999", action="note", actor=people["dengji"], note="x")
    with refused(NotFound):
        perform(case=replied_case.number, action="note", actor=people["qs_fuzeren"], note="x")


# --- delivery (送达) ------------------------------------------------------------------------


@pytest.fixture
def answered(replied_case, settings, tmp_path):
    """The replied case with the written answer of its reply (the document to deliver)."""
    settings.MEDIA_ROOT = tmp_path
    return replied_case, factories.answer(replied_case)


def test_a_delivery_needs_the_document_the_channel_and_the_date(answered, act):
    case, _ = answered
    with refused(Invalid, field="document"):
        act("deliver", case, "cg_fuzeren", channel="online", delivered_on="2026-03-20")
    with refused(Invalid, field="channel"):
        act("deliver", case, "cg_fuzeren", document=answered[1].pk, delivered_on="2026-03-20")
    with refused(Invalid, field="delivered_on"):
        act("deliver", case, "cg_fuzeren", document=answered[1].pk, channel="online")


def test_a_delivery_by_an_unknown_channel_or_on_a_date_that_is_no_date_is_refused(answered, act):
    case, doc = answered
    with refused(Invalid, field="channel", says="送达方式"):
        act("deliver", case, "cg_fuzeren", document=doc.pk, channel="pigeon", delivered_on="2026-03-20")
    with refused(Invalid, field="delivered_on", says="格式"):
        act("deliver", case, "cg_fuzeren", document=doc.pk, channel="online", delivered_on="20 March")


def test_a_document_of_another_case_is_not_delivered_through_this_one(answered, act, register_case):
    case, _ = answered
    other = register_case(title="另一事项")
    stray = factories.notice(other, "accept_notice")
    with refused(Invalid, field="document", says="不属于本事项"):
        act("deliver", case, "cg_fuzeren", document=stray.pk, channel="online", delivered_on="2026-03-20")
    with refused(Invalid, field="document", says="不属于本事项"):
        act("deliver", case, "cg_fuzeren", document=10**9, channel="online", delivered_on="2026-03-20")
    with refused(Invalid, field="document", says="整数"):
        act("deliver", case, "cg_fuzeren", document="第一份", channel="online", delivered_on="2026-03-20")


def test_an_internal_form_has_no_delivery(answered, act):
    case, _ = answered
    form = factories.notice(case, "assign_form")
    with refused(Invalid, field="document", says="不送达信访人"):
        act("deliver", case, "cg_fuzeren", document=form.pk, channel="in_person", delivered_on="2026-03-20", recipient="张三")


def test_a_delivery_dated_before_the_document_or_in_the_future_is_refused(answered, act):
    case, doc = answered
    with refused(Invalid, field="delivered_on", says="不能早于文书制发日期"):
        act("deliver", case, "cg_fuzeren", document=doc.pk, channel="online", delivered_on="2026-03-19")
    with refused(Invalid, field="delivered_on", says="不能晚于今天"):
        act("deliver", case, "cg_fuzeren", document=doc.pk, channel="online", delivered_on="2026-03-21")


def test_each_channel_needs_its_proof(answered, act):
    case, doc = answered
    with refused(Invalid, field="proof", says="送达回证"):
        act("deliver", case, "cg_fuzeren", document=doc.pk, channel="post", delivered_on="2026-03-20", recipient="张三")
    with refused(Invalid, field="recipient", says="签收"):
        act("deliver", case, "cg_fuzeren", document=doc.pk, channel="in_person", delivered_on="2026-03-20")
    with refused(Invalid, field="note", says="公告"):
        act("deliver", case, "cg_fuzeren", document=doc.pk, channel="announced", delivered_on="2026-03-20")


def test_a_proof_that_is_not_a_scan_is_refused(answered, act):
    case, doc = answered
    with refused(Invalid, field="proof", says="扫描件"):
        act("deliver", case, "cg_fuzeren", document=doc.pk, channel="post", delivered_on="2026-03-20",
            proof=factories.scan("回证.exe", b"MZ\x90\x00" + b"\x00" * 100))
    with refused(Invalid, field="proof", says="空文件"):
        act("deliver", case, "cg_fuzeren", document=doc.pk, channel="post", delivered_on="2026-03-20", proof=factories.scan(body=b""))


def test_a_second_delivery_record_is_a_correction_and_needs_a_reason(answered, act):
    case, doc = answered
    case = act("deliver", case, "cg_fuzeren", document=doc.pk, channel="online", delivered_on="2026-03-20")
    with refused(Invalid, field="reason", says="更正须说明理由"):
        act("deliver", case, "cg_fuzeren", document=doc.pk, channel="post", delivered_on="2026-03-20", proof=factories.scan())


def test_a_delivery_by_a_unit_not_involved_or_a_role_that_does_not_deliver_is_refused(answered, act, people):
    case, doc = answered
    with refused(NotFound):  # 青山乡 never saw the case
        act("deliver", case, "qs_fuzeren", document=doc.pk, channel="online", delivered_on="2026-03-20")
    with refused(NotAllowed, says="角色"):
        act("deliver", case, "lingdao", document=doc.pk, channel="online", delivered_on="2026-03-20")


def test_a_case_with_no_document_for_the_petitioner_has_nothing_to_deliver(register_case, act):
    registered = register_case()  # nothing decided yet: no notice has been issued
    with refused(WrongState, says="没有需要送达"):
        act("deliver", registered, "dengji", document=1, channel="online", delivered_on="2026-03-20")


# --- the words of each refusal, and the rules not yet pinned (issue #20) ----------------------

REQUIRED = "请填写必填项 / Required fields are missing."


def test_a_unit_may_object_to_a_routing_within_five_working_days_and_not_after(register_case, act, time_machine):
    """Assigned on Monday 2 March: the fifth working day is Monday 9 March (Art. 23)."""
    time_machine.move_to("2026-03-02 10:00 +0800", tick=False)
    first = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    second = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    time_machine.move_to("2026-03-09 17:00 +0800", tick=False)
    assert act("return", first, "cg_fuzeren", reason="不属本镇").status == "accepted"
    time_machine.move_to("2026-03-10 09:00 +0800", tick=False)
    with refused(WrongState) as caught:
        act("return", second, "cg_fuzeren", reason="不属本镇")
    assert caught.value.message == "已超过5个工作日的异议期限，不能退回 / The 5-working-day period to object has passed."


def test_the_objection_period_is_a_setting(register_case, act, settings, time_machine):
    settings.XINFANG_LIMITS = {**settings.XINFANG_LIMITS, "objection_working_days": 1}
    case = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    time_machine.move_to("2026-03-24 09:00 +0800", tick=False)  # Friday 20 → Tuesday 24: two working days
    with refused(WrongState, says="1个工作日"):
        act("return", case, "cg_fuzeren", reason="不属本镇")


def test_returning_words(accepted, act):
    case = act("start", accepted, "chengban")
    with refused(WrongState) as caught:
        act("return", case, "fuzeren", reason="不属于本局职责")
    assert caught.value.message == "本事项不是交办或转送给本单位的，无法退回 / This case was not routed to your unit."


def test_an_extension_needs_a_reason_and_says_what_is_wrong(accepted, act):
    with refused(Invalid) as caught:
        act("extend", accepted, "fuzeren", days=5)
    assert caught.value.message == REQUIRED and caught.value.fields == {"reason": "此项必填 / This field is required."}
    with refused(Invalid) as caught:
        act("extend", accepted, "fuzeren", days="ten", reason="需要现场核查")
    assert caught.value.message == "延期天数应为整数 / Days must be a whole number."
    assert caught.value.fields == {"days": "整数 / Whole number."}
    with refused(Invalid) as caught:
        act("extend", accepted, "fuzeren", days=31, reason="需要现场核查")
    assert caught.value.message == "延期不得超过30日 / An extension is 1 to 30 days." and caught.value.fields == {"days": "1–30"}


def test_the_longest_extension_is_a_setting(accepted, act, settings):
    settings.XINFANG_LIMITS = {**settings.XINFANG_LIMITS, "extend_max_days": 10}
    with refused(Invalid, says="延期不得超过10日"):
        act("extend", accepted, "fuzeren", days=11, reason="需要现场核查")
    assert act("extend", accepted, "fuzeren", days=10, reason="需要现场核查").extended_days == 10


def test_forwarding_words(register_case, act):
    case = register_case()
    with refused(Invalid) as caught:
        act("forward", case, "dengji", unit="341122-XFJ")
    assert caught.value.message == "不能转送给本单位 / Cannot forward a case to its own unit."
    assert caught.value.fields == {"unit": "请选择其他单位 / Choose another unit."}
    with refused(Invalid) as caught:
        act("forward", case, "dengji", unit="341122-NOPE")
    assert caught.value.message == "单位不存在 / No such unit."
    assert caught.value.fields == {"unit": "找不到单位代码 341122-NOPE / Unknown unit code."}
    with refused(Invalid) as caught:
        act("forward", case, "dengji")
    assert caught.value.message == REQUIRED and caught.value.fields == {"unit": "此项必填 / This field is required."}


def test_forwarding_an_accusation_to_the_accused_says_why_naming_the_accused(register_case, act):
    case = register_case(kind="accusation", petitioners=[], accused_unit="341122200", accused_post="乡长")
    with refused(Invalid) as caught:
        act("forward", case, "dengji", unit="341122200202")
    assert caught.value.code == "accused_unit"
    assert caught.value.message == ("根据《信访工作条例》第三十条，检举控告事项不得交由被检举控告的单位（青山乡人民政府）或其下级单位办理 / "
                                    "Art. 30: an accusation may not be routed to the accused unit or a unit under it.")
    assert caught.value.fields == {"unit": "竹岭村：被检举控告单位或其下级 / The accused unit or below it."}
    assert act("forward", case, "dengji", unit="341122-JW").status == "forwarded"  # beside it, not under it


def test_the_units_offered_leave_out_the_accused_and_those_under_it(register_case, units):
    from xinfang.cases.services import routable
    from xinfang.org.models import Unit

    everyone = Unit.objects.all()
    assert set(routable(register_case(), everyone)) == set(everyone)
    case = register_case(kind="accusation", petitioners=[], accused_unit="341122200")
    offered = set(routable(case, everyone))
    assert units["qingshan"] not in offered and units["zhuling"] not in offered and units["qingshan_office"] not in offered
    assert offered == set(everyone) - set(Unit.objects.filter(path__startswith=units["qingshan"].path))


def test_voiding_words(register_case, act):
    case = register_case()
    with refused(Invalid) as caught:
        act("void", case, "dengji", reason="重复登记", duplicate_of="341122-XFJ-2026-99999")
    assert caught.value.message == "找不到所重复的信访事项或无权查看 / No such case, or not visible to you."
    assert caught.value.fields == {"duplicate_of": "找不到该事项 / No such case."}
    with refused(Invalid) as caught:
        act("void", case, "dengji", reason="重复登记", duplicate_of=case.number)
    assert caught.value.message == "不能与本事项重复 / A case cannot duplicate itself."
    assert caught.value.fields == {"duplicate_of": "请填写其他事项 / Another case."}
    with refused(Invalid) as caught:
        act("void", case, "dengji", reason="")
    assert caught.value.fields == {"reason": "此项必填 / This field is required."}


def test_a_case_that_left_the_registering_unit_or_has_repeats_says_why_it_is_not_voided(register_case, act, people, units):
    from xinfang.cases.services import refusal

    back = act("return", act("forward", register_case(), "dengji", unit="341122-ZJJ"), "zj_fuzeren", reason="不属本局")
    assert back.status == "registered" and refusal(back, "void", people["dengji"]) is None  # back home: voidable again
    away = register_case()
    away.current_unit = units["housing"]  # registered, but with another unit (forwarded on and returned there)
    why = refusal(away, "void", people["dengji"])
    assert why.code == "left_registering_unit"
    assert why.message == "本事项已离开登记单位，不能作废 / The case has left the registering unit and can no longer be voided."
    case = register_case()
    register_case(case=case.number)
    case.refresh_from_db()
    why = refusal(case, "void", people["dengji"])
    assert why.code == "has_repeats"
    assert why.message == "已有重复信访并入本事项，不能作废，请改用并案 / Repeat petitions joined this case: merge it instead of voiding it."


def test_returning_without_a_reason_is_refused(assigned, act):
    with refused(Invalid) as caught:
        act("return", assigned, "cg_fuzeren")
    assert caught.value.fields == {"reason": "此项必填 / This field is required."}


def test_a_unit_that_forwarded_a_case_on_cannot_return_it_when_it_comes_back(register_case, act, units):
    """Housing forwarded the bureau's case on to the township and got it back: its own
    routing ended with its forward, so there is nothing left for it to object to."""
    case = act("forward", register_case(), "dengji", unit="341122-ZJJ")
    case = act("forward", case, "zj_fuzeren", unit="341122100")
    case = act("return", case, "cg_fuzeren", reason="不属本镇")
    assert case.current_unit == units["housing"] and case.status == "registered"
    case = act("start", act("accept", case, "zj_fuzeren"), "zj_fuzeren")
    with refused(WrongState, says="不是交办或转送给本单位的"):
        act("return", case, "zj_fuzeren", reason="不属本局")


def test_a_return_ends_only_the_routings_still_open(accepted, act, time_machine):
    case = act("assign", accepted, "dengji", unit="341122100")
    case = act("return", case, "cg_fuzeren", reason="不属本镇")
    first = case.assignments.get()
    time_machine.move_to("2026-03-23 10:00 +0800", tick=False)
    case = act("assign", case, "dengji", unit="341122200")
    act("return", case, "qs_fuzeren", reason="不属本乡")
    first.refresh_from_db()
    assert first.returned_at.date() == datetime.date(2026, 3, 20)
    assert case.assignments.get(unit__code="341122200").returned_at.date() == datetime.date(2026, 3, 23)


def test_a_unit_objects_within_its_own_period_not_another_cases(register_case, act, time_machine):
    """Two cases routed to the same township a week apart: the older one's period has run."""
    time_machine.move_to("2026-03-02 10:00 +0800", tick=False)
    older = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    time_machine.move_to("2026-03-12 10:00 +0800", tick=False)
    act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    with refused(WrongState, says="异议期限"):
        act("return", older, "cg_fuzeren", reason="不属本镇")


def test_an_extension_into_a_year_without_its_holiday_schedule_carries_the_warning(register_case, act, time_machine):
    time_machine.move_to("2026-10-20 10:00 +0800", tick=False)
    case = act("accept", register_case(), "dengji")
    assert case.handle_due.year == 2026 and case.deadline_warnings == []
    case = act("extend", case, "fuzeren", days=30, reason="需要现场核查")
    assert case.handle_due.year == 2027
    assert any("2027" in w for w in Case.objects.get(pk=case.pk).deadline_warnings)


def test_declining_and_refusing_say_what_is_wrong(register_case, act):
    case = register_case()
    with refused(Invalid) as caught:
        act("decline", case, "dengji")
    assert caught.value.message == REQUIRED and set(caught.value.fields) == {"reason", "proper_channel"}
    with refused(Invalid) as caught:
        act("decline", case, "dengji", reason="属于诉讼程序", proper_channel="向" * 201)
    assert caught.value.message == "告知途径不超过200字 / At most 200 characters."
    assert caught.value.fields == {"proper_channel": "过长 / Too long."}
    with refused(Invalid) as caught:
        act("decline", case, "dengji", reason="属于诉讼程序", proper_channel="向法院起诉", guided_procedure="prayer")
    assert caught.value.message == "导入程序不正确 / Unknown statutory procedure."
    assert caught.value.fields == {"guided_procedure": "无此选项 / Not a valid choice."}
    with refused(Invalid) as caught:
        act("refuse", case, "dengji")
    assert caught.value.message == REQUIRED and set(caught.value.fields) == {"basis", "reason"}
    with refused(Invalid) as caught:
        act("refuse", case, "dengji", basis="because", reason="重复")
    assert caught.value.message == "不再受理依据不正确 / Unknown basis for refusal."
    assert caught.value.fields == {"basis": "无此选项 / Not a valid choice."}


def test_a_decline_without_a_statutory_procedure_stores_none(register_case, act):
    case = act("decline", register_case(), "dengji", reason="属于诉讼程序", proper_channel="向" * 200)
    assert Case.objects.get(pk=case.pk).guided_procedure == ""


def test_review_and_re_review_windows_say_when_they_closed(replied_case, act, time_machine, deliver):
    end = deliver(replied_case).review_window_end  # the window runs from delivery of the answer
    time_machine.move_to(f"{end + datetime.timedelta(days=1)} 09:00 +0800", tick=False)
    with refused(WrongState) as caught:
        act("review", replied_case, "dengji", reasons="不服")
    assert caught.value.code == "window_closed"
    assert caught.value.message == f"已超过请求复查期限（{end:%Y年%m月%d日}）/ The window to ask for review ended on {end}."


def test_the_re_review_window_says_when_it_closed(register_case, act, time_machine, deliver):
    case = deliver(act("reply", act("accept", register_case(), "dengji"), "fuzeren", **REPLY))
    case = act("review", case, "dengji", reasons="不服")
    time_machine.move_to("2026-04-10 10:00 +0800", tick=False)
    case = deliver(act("reply", case, "fuzeren", **REPLY))  # the county's review, answered three weeks on
    end = case.re_review_window_end
    assert end > case.review_window_end  # the re-review's own window, not the review's
    time_machine.move_to(f"{end + datetime.timedelta(days=1)} 09:00 +0800", tick=False)
    with refused(WrongState) as caught:
        act("re_review", case, "dengji", reasons="仍不服")
    assert caught.value.code == "window_closed"
    assert caught.value.message == f"已超过请求复核期限（{end:%Y年%m月%d日}）/ The window to ask for re-review ended on {end}."
    time_machine.move_to(f"{end} 23:00 +0800", tick=False)
    assert act("re_review", case, "dengji", reasons="仍不服").status == "re_review"


def test_no_higher_unit_is_said_in_both_languages(register_case, act, people, units):
    case = register_case(actor=people["city_fuzeren"], receiving_unit=units["city"])
    case = act("reply", act("accept", case, "city_fuzeren"), "city_fuzeren", **REPLY)
    with refused(WrongState) as caught:
        act("review", case, "city_fuzeren", reasons="不服")
    assert caught.value.message == "没有可受理复查的上一级机关 / There is no higher unit for a review."


def test_no_higher_unit_for_a_re_review_is_said_in_both_languages(register_case, act, units):
    case = act("reply", act("accept", register_case(receiving_unit=units["county"]), "dengji"), "fuzeren", **REPLY)
    case = act("reply", act("review", case, "dengji", reasons="不服"), "city_fuzeren", **REPLY)
    with refused(WrongState) as caught:
        act("re_review", case, "dengji", reasons="仍不服")
    assert caught.value.message == "没有可受理复核的上一级机关 / There is no higher unit for a re-review."


def test_the_review_and_re_review_answer_periods_are_settings_of_their_own(replied_case, act, settings):
    settings.XINFANG_LIMITS = {**settings.XINFANG_LIMITS, "review_answer_days": 20, "re_review_answer_days": 10}
    case = act("review", replied_case, "dengji", reasons="不服")
    assert case.review_due == datetime.date(2026, 4, 9)  # 20 days from 20 March
    case = act("reply", case, "fuzeren", **REPLY)
    case = act("re_review", case, "dengji", reasons="仍不服")
    assert case.re_review_due == datetime.date(2026, 3, 30)  # 10 days


def test_a_review_answered_in_a_year_without_its_schedule_carries_the_warning(register_case, act, time_machine):
    time_machine.move_to("2026-11-20 10:00 +0800", tick=False)
    case = act("reply", act("accept", register_case(), "dengji"), "fuzeren", **REPLY)
    time_machine.move_to("2026-12-10 10:00 +0800", tick=False)
    case = act("review", case, "dengji", reasons="不服")
    assert case.review_due.year == 2027 and any("2027" in w for w in Case.objects.get(pk=case.pk).deadline_warnings)
