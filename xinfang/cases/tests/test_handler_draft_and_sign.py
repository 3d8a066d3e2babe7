"""承办人: records progress (办理进展) and drafts the written opinion (拟办); the unit head
reviews, edits and signs it (审签), and the signed draft becomes the reply."""

import pytest

from xinfang.audit.models import AuditEntry
from xinfang.cases.models import CaseEvent, Reply, ReplyDraft
from xinfang.cases.services import allowed_actions
from xinfang.lib.errors import Invalid, NotAllowed, WrongState

from .conftest import REPLY

pytestmark = pytest.mark.time_machine("2026-03-02 10:00 +0800", tick=False)


@pytest.fixture
def signed_for(register_case, act):
    """Forwarded (转送) to 城关镇, accepted there and signed for by its handler 郑承办: the
    town answers it itself, so its head signs the draft. (An assigned case's draft goes
    into its result report instead: test_report_back.py.)"""
    case = act("forward", register_case(), "dengji", unit="341122100")
    case = act("accept", case, "cg_fuzeren")
    return act("start", case, "cg_chengban")


def test_a_handler_records_progress_and_drafts_the_reply(signed_for, act, people):
    assert set(allowed_actions(signed_for, people["cg_chengban"])) >= {"progress", "draft"}
    assert "sign" not in allowed_actions(signed_for, people["cg_fuzeren"])
    case = act("progress", signed_for, "cg_chengban", note="已到村里核实补偿款发放台账")
    case = act("draft", case, "cg_chengban", **REPLY)
    assert case.status == "in_progress"
    draft = ReplyDraft.objects.get(case=case)
    assert draft.drafted_by == people["cg_chengban"] and draft.signed_at is None
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions[-2:] == ["progress", "draft"]
    assert "sign" in allowed_actions(case, people["cg_fuzeren"])
    assert "sign" not in allowed_actions(case, people["cg_chengban"])


def test_the_head_edits_and_signs_the_draft_and_it_becomes_the_reply(signed_for, act, people):
    case = act("draft", signed_for, "cg_chengban", **REPLY)
    case = act("sign", case, "cg_fuzeren", opinion="责成七日内发放")
    assert case.status == "replied" and case.replied_at
    reply = Reply.objects.get(case=case)
    assert reply.opinion == "责成七日内发放" and reply.facts == REPLY["facts"] and reply.signed_by == people["cg_fuzeren"]
    draft = ReplyDraft.objects.get(case=case)
    assert draft.reply == reply and draft.signed_by == people["cg_fuzeren"]
    event = CaseEvent.objects.get(case=case, action="sign")
    assert event.public and event.data["edited"] == ["opinion"] and event.data["reply_id"] == reply.pk
    assert AuditEntry.objects.filter(action="case.sign").exists()


def test_there_is_nothing_to_sign_without_a_draft(signed_for, act):
    with pytest.raises(WrongState) as caught:
        act("sign", signed_for, "cg_fuzeren")
    assert caught.value.code == "no_draft"


def test_a_handler_cannot_sign(signed_for, act):
    case = act("draft", signed_for, "cg_chengban", **REPLY)
    with pytest.raises(NotAllowed):
        act("sign", case, "cg_chengban")


def test_a_draft_needs_the_parts_of_a_written_opinion(signed_for, act):
    with pytest.raises(Invalid) as caught:
        act("draft", signed_for, "cg_chengban", outcome="support")
    assert {"request_summary", "facts", "opinion"} <= set(caught.value.fields)


def test_progress_needs_a_note_and_a_signed_for_case(register_case, act, signed_for):
    with pytest.raises(Invalid):
        act("progress", signed_for, "cg_chengban")
    case = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    with pytest.raises(WrongState):
        act("progress", case, "cg_chengban", note="还没签收")


def test_a_newer_draft_is_the_one_signed(signed_for, act):
    case = act("draft", signed_for, "cg_chengban", **REPLY)
    case = act("draft", case, "cg_chengban", **{**REPLY, "opinion": "第二稿"})
    case = act("sign", case, "cg_fuzeren")
    assert Reply.objects.get(case=case).opinion == "第二稿"


FULL = dict(REPLY, legal_basis="《土地管理法》第四十八条", remedy="如不服可申请复查", settlement="村委会承诺十日内发放")


def test_the_draft_stores_every_part_and_the_signature_keeps_what_was_not_edited(signed_for, act, people, units):
    from django.forms.models import model_to_dict

    case = act("draft", signed_for, "cg_chengban", **FULL)
    draft = ReplyDraft.objects.get(case=case)
    assert {name: getattr(draft, name) for name in ReplyDraft.FIELDS} == FULL
    assert (draft.stage, draft.unit, draft.drafted_by) == ("handling", units["chengguan"], people["cg_chengban"])
    assert draft.drafted_at is not None and draft.reply is None
    event = CaseEvent.objects.get(case=case, action="draft")
    assert event.note == FULL["opinion"] and event.data == {"draft_id": draft.pk, "outcome": "support"} and not event.public

    case = act("sign", case, "cg_fuzeren", facts="经核实补偿款已部分发放", settlement=FULL["settlement"])
    reply = Reply.objects.get(case=case)
    assert {name: getattr(reply, name) for name in ReplyDraft.FIELDS} == {**FULL, "facts": "经核实补偿款已部分发放"}
    draft.refresh_from_db()
    assert draft.signed_by == people["cg_fuzeren"] and draft.signed_at is not None and draft.reply == reply
    event = CaseEvent.objects.get(case=case, action="sign")
    assert event.data["edited"] == ["facts"] and event.data["draft_id"] == draft.pk  # the same settlement is no edit
    assert model_to_dict(ReplyDraft.objects.get(pk=draft.pk))["facts"] == FULL["facts"]  # the draft keeps its own text


def test_an_evaluation_stores_who_recorded_what_by_which_channel(replied_case, act, people):
    from xinfang.cases.models import Evaluation

    case = act("evaluate", replied_case, "dengji", satisfaction="basically", comment="基本满意", channel="visit")
    evaluation = Evaluation.objects.get(case=case)
    assert (evaluation.reply, evaluation.satisfaction, evaluation.comment, evaluation.channel, evaluation.recorded_by) == (
        case.replies.get(), "basically", "基本满意", "visit", people["dengji"])
    assert evaluation.at is not None


def test_an_evaluation_after_the_case_was_closed_keeps_it_closed(replied_case, act):
    case = act("close", replied_case, "dengji")
    case = act("evaluate", case, "dengji", satisfaction="satisfied")
    assert case.status == "closed" and case.satisfaction == "satisfied"


def test_an_evaluation_says_what_is_wrong(replied_case, act):
    from xinfang.cases.choices import Channel

    with pytest.raises(Invalid) as caught:
        act("evaluate", replied_case, "dengji", satisfaction="happy")
    assert caught.value.message == "评价应为满意、基本满意或不满意 / Satisfaction must be satisfied, basically or not_satisfied."
    assert caught.value.fields == {"satisfaction": "无此选项 / Not a valid choice."}
    with pytest.raises(Invalid) as caught:
        act("evaluate", replied_case, "dengji", satisfaction="satisfied", channel="pigeon")
    assert caught.value.message == "评价渠道不正确 / Unknown channel." and caught.value.fields == {"channel": "|".join(Channel.values)}
    with pytest.raises(Invalid) as caught:
        act("evaluate", replied_case, "dengji")
    assert caught.value.fields == {"satisfaction": "此项必填 / This field is required."}
    assert not replied_case.evaluations.exists()


def test_a_draft_says_every_part_it_lacks_and_leaves_blank_what_was_not_written(signed_for, act):
    with pytest.raises(Invalid) as caught:
        act("draft", signed_for, "cg_chengban")
    assert set(caught.value.fields) == {"outcome", "request_summary", "facts", "opinion"}
    case = act("draft", signed_for, "cg_chengban", **REPLY)
    draft = ReplyDraft.objects.get(case=case)
    assert (draft.legal_basis, draft.remedy, draft.settlement) == ("", "", "")


def test_the_head_signs_with_the_documents_of_the_opinion(signed_for, act):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = act("draft", signed_for, "cg_chengban", **REPLY)
    case = act("sign", case, "cg_fuzeren", documents=[SimpleUploadedFile("意见书.txt", "处理意见书正文".encode(), content_type="text/plain")])
    reply = Reply.objects.get(case=case)
    assert reply.attachments.count() == 1
    assert CaseEvent.objects.get(case=case, action="sign").data["documents"] == 1


def test_an_evaluation_without_a_comment_stores_none(replied_case, act):
    case = act("evaluate", replied_case, "dengji", satisfaction="satisfied")
    assert case.evaluations.get().comment == "" and CaseEvent.objects.get(case=case, action="evaluate").note == ""
