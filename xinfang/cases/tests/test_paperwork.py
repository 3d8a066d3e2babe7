"""Each step the law ties to a written document issues it, numbered, in the same
transaction (cases/paperwork.py); who may open a case's documents."""

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as WordDocument

from xinfang.cases.paperwork import add_version_for, documents_for, get_document_for, version_for
from xinfang.documents.kinds import DocKind, VersionSource
from xinfang.documents.models import Document
from xinfang.lib.errors import Invalid, NotAllowed, NotFound

from .conftest import REPLY

K = DocKind


@pytest.fixture(autouse=True)
def spring_day():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        yield


def text(document, version=None):
    item = document.versions.get(version=version) if version else document.current
    with item.file.open("rb") as handle:
        return "\n".join(p.text for p in WordDocument(io.BytesIO(handle.read())).paragraphs)


def issued(case):
    return list(Document.objects.filter(subject_id=case.pk).order_by("id"))


def test_accepting_issues_the_acceptance_notice_naming_the_petitioner_and_the_deadline(people, register_case, act):
    case = act("accept", register_case(), "dengji")
    [notice] = issued(case)
    assert (notice.kind, notice.number, notice.unit.name) == (K.ACCEPT_NOTICE, "安宁县信访局信告〔2026〕1号", "安宁县信访局")
    assert notice.for_petitioner and notice.to_unit is None and notice.issued_by == people["dengji"]
    body = text(notice)
    for phrase in ("受理告知书", "刘某：", "二〇二六年三月二日提出的信访事项（编号：341122-XFJ-2026-00001）", "反映征地补偿款未发放。",
                   "60日内（二〇二六年五月六日前）", "《信访工作条例》第二十二条、第三十二条", "安宁县信访局信告〔2026〕1号",
                   "安宁县信访局（印章）", "二〇二六年三月二日"):
        assert phrase in body, (phrase, body)
    assert notice.source == f"event:{case.events.get(action='accept').pk}"


def test_declining_names_the_proper_channel(register_case, act):
    case = act("decline", register_case(), "dengji", reason="属于劳动争议。", proper_channel="向县劳动人事争议仲裁委员会申请仲裁")
    [notice] = issued(case)
    body = text(notice)
    assert notice.kind == K.DECLINE_NOTICE
    assert "经审查，属于劳动争议。根据《信访工作条例》第二十二条、第三十一条的规定，本机关不予受理。" in body
    assert "请您向县劳动人事争议仲裁委员会申请仲裁。" in body


def test_refusing_issues_the_no_further_acceptance_notice(register_case, act):
    case = act("refuse", register_case(), "dengji", basis="art36", reason="同一事实和理由已复核终结")
    [notice] = issued(case)
    assert notice.kind == K.REFUSE_NOTICE
    assert "同一事实和理由已经复核终结（第三十六条）" in text(notice) and "不再受理" in text(notice)


def test_forwarding_tells_the_petitioner_and_sends_the_form_with_the_case(units, register_case, act):
    case = act("forward", register_case(), "dengji", unit="341122-ZRZY", note="请依法处理")
    notice, form = issued(case)
    assert (notice.kind, notice.number, notice.to_unit) == (K.FORWARD_NOTICE, "安宁县信访局信告〔2026〕1号", None)
    assert "已转送安宁县自然资源局处理" in text(notice)
    assert (form.kind, form.number, form.to_unit, form.for_petitioner) == (K.FORWARD_FORM, "安宁县信访局信转〔2026〕1号",
                                                                           units["land"], False)
    body = text(form)
    assert "安宁县自然资源局：" in body and "本人承包地于去年被征收" in body and "二〇二六年三月十七日前决定是否受理" in body


def test_a_case_from_acceptance_to_re_review_issues_each_document_with_its_own_sequence(people, units, register_case, act, answer_as):
    case = act("accept", register_case(), "dengji")
    case = act("assign", case, "dengji", unit="341122100", assisting=["341122-ZRZY"], note="请实地核查")
    case = act("extend", case, "cg_fuzeren", days=30, reason="需要实地测量。")
    case = answer_as(case, "cg_fuzeren", **REPLY)  # its result report, accepted by the bureau
    case = act("review", case, "dengji", reasons="不服")
    case = act("reply", case, "fuzeren", outcome="explain", request_summary="提高补偿标准", facts="标准符合规定。", opinion="维持原处理意见。")
    case = act("re_review", case, "dengji", reasons="仍不服")
    case = act("reply", case, "city_fuzeren", outcome="not_support", request_summary="提高补偿标准", facts="复查无误。", opinion="复核维持。")
    docs = issued(case)
    assert [(d.kind, d.number) for d in docs] == [
        (K.ACCEPT_NOTICE, "安宁县信访局信告〔2026〕1号"),
        (K.ASSIGN_FORM, "安宁县信访局信交〔2026〕1号"),
        (K.EXTENSION_NOTICE, "城关镇人民政府信告〔2026〕1号"),
        (K.OPINION, "城关镇人民政府信复〔2026〕1号"),
        (K.REVIEW_OPINION, "安宁县人民政府信复查〔2026〕1号"),
        (K.RE_REVIEW_OPINION, "江州市人民政府信复核〔2026〕1号"),
    ]
    assign, extension, opinion, review, re_review = docs[1:]
    assert assign.to_unit == units["chengguan"] and "协办单位：安宁县自然资源局。" in text(assign) and "请实地核查" in text(assign)
    assert "因需要实地测量，" in text(extension) and "延长30日" in text(extension) and "二〇二六年六月五日" in text(extension)
    replies = list(case.replies.order_by("replied_at", "id"))
    assert [d.source for d in (opinion, review, re_review)] == [f"reply:{r.pk}" for r in replies]
    assert "责成十日内发放" in text(opinion) and "30日内请求原办理机关的上一级机关复查" in text(opinion)
    assert "维持原处理意见" in text(review) and "复核" in text(review)
    assert "本复核意见为终结意见" in text(re_review)


def test_a_signed_draft_issues_the_opinion_like_a_reply(register_case, act):
    case = act("accept", register_case(), "dengji")
    case = act("start", case, "chengban")
    case = act("draft", case, "chengban", **REPLY)
    case = act("sign", case, "fuzeren")
    [_, opinion] = issued(case)
    assert opinion.kind == K.OPINION and opinion.source == f"reply:{case.replies.get().pk}"


def test_steps_without_a_document_issue_none(register_case, act):
    case = act("accept", register_case(), "dengji")
    act("note", case, "dengji", note="电话联系信访人")
    act("start", case, "chengban")
    assert [d.kind for d in issued(case)] == [K.ACCEPT_NOTICE]


def test_a_refused_step_issues_nothing_and_uses_no_number(register_case, act):
    case = register_case()
    with pytest.raises(Invalid):
        act("decline", case, "dengji", reason="", proper_channel="")
    assert issued(case) == []
    case = act("accept", case, "dengji")
    assert issued(case)[0].number.endswith("〔2026〕1号")


def test_a_notice_names_all_petitioners_or_the_representatives(register_case, act):
    several = register_case(petitioners=[{"name": "刘某"}, {"name": "陈某"}])
    assert "刘某、陈某：" in text(issued(act("accept", several, "dengji"))[0])
    crowd = register_case(channel="visit", headcount=6, representatives=["王某"],
                          petitioners=[{"name": n} for n in ("赵某", "王某", "孙某")])
    assert "王某等3人：" in text(issued(act("accept", crowd, "dengji"))[0])
    anonymous = register_case(petitioners=[])
    assert "信访人：" in text(issued(act("accept", anonymous, "dengji"))[0])


# --- who may open them ---------------------------------------------------------------------


def test_staff_who_see_the_case_list_and_download_its_documents(people, register_case, act):
    case = act("accept", register_case(), "dengji")
    [item] = documents_for(people["fuzeren"], case)
    assert item.may_open and item.current_version.version == 1
    assert version_for(people["fuzeren"], get_document_for(people["fuzeren"], item.pk)).version == 1


def test_a_unit_that_never_saw_the_case_cannot_find_its_documents(people, register_case, act):
    case = act("accept", register_case(), "dengji")
    for bad in (issued(case)[0].pk, "abc", 999999):
        with pytest.raises(NotFound):
            get_document_for(people["qs_fuzeren"], bad)


def test_the_receiving_unit_opens_the_form_sent_to_it(people, register_case, act):
    case = act("forward", register_case(), "dengji", unit="341122-ZJJ")
    form = issued(case)[1]
    assert get_document_for(people["zj_fuzeren"], form.pk) == form


def test_an_accuser_is_named_only_to_those_who_may_know_them(people, units, register_case, act):
    case = register_case(kind="accusation", title="举报竹岭村村主任侵占集体资金", accused_unit="341122200202", accused_post="村主任",
                         petitioners=[{"name": "举报人甲"}])
    case = act("accept", case, "dengji")
    case = act("assign", case, "dengji", unit="341122100")
    notice, form = issued(case)
    assert "举报人甲" in text(notice) and notice.shield_unit == units["bureau"]
    # The lead unit gets its assignment form without the accuser's name, and may open it.
    assert "举报人甲" not in text(form) and "（检举控告人身份保密）" in text(form) and form.shield_unit is None
    town = people["cg_chengban"]
    assert version_for(town, get_document_for(town, form.pk)).version == 1
    # It sees the notice listed, but may not open what names the accuser.
    listed = {d.kind: d.may_open for d in documents_for(town, case)}
    assert listed == {K.ACCEPT_NOTICE: False, K.ASSIGN_FORM: True}
    with pytest.raises(NotAllowed):
        version_for(town, get_document_for(town, notice.pk))
    with pytest.raises(NotAllowed):
        add_version_for(people["cg_fuzeren"], get_document_for(people["cg_fuzeren"], notice.pk),
                        SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF\n"), source=VersionSource.SCANNED)
    # The registering bureau and the discipline commission may.
    assert version_for(people["dengji"], notice).version == 1
    assert version_for(people["jw_fuzeren"], notice).version == 1


def test_the_issuing_unit_replaces_the_file_and_the_old_version_stays(people, register_case, act):
    case = act("accept", register_case(), "dengji")
    notice = issued(case)[0]
    scan = add_version_for(people["dengji"], notice, SimpleUploadedFile("盖章.pdf", b"%PDF-1.4\n%%EOF\n"), source=VersionSource.SCANNED)
    assert scan.version == 2 and version_for(people["fuzeren"], notice) == scan
    assert "受理告知书" in text(notice, version=1)
    assert version_for(people["fuzeren"], notice, 1).version == 1


def test_staff_of_another_unit_or_without_a_working_role_may_not_replace_it(people, register_case, act):
    case = act("assign", act("accept", register_case(), "dengji"), "dengji", unit="341122100")
    notice = issued(case)[0]
    for who in ("cg_fuzeren", "tongji"):
        with pytest.raises(NotAllowed):
            add_version_for(people[who], notice, SimpleUploadedFile("改.pdf", b"%PDF-1.4\n%%EOF\n"))
    assert notice.versions.count() == 1
