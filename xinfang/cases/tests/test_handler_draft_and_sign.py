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
    """Assigned to 城关镇 and signed for by its handler 郑承办."""
    case = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
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
