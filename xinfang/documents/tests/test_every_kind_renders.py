"""Every kind of document, filled from a hand-built context with the shipped default,
read back with python-docx: the words a petitioner or a receiving unit would read."""

import datetime

import pytest

from xinfang.documents.fields import FIELDS, sample_context
from xinfang.documents.kinds import DocKind
from xinfang.documents.services import cn_date, render

from .conftest import text_of

K = DocKind
pytestmark = pytest.mark.django_db

COMMON = {"unit_name": "安宁县信访局", "doc_number": "安宁县信访局信告〔2026〕7号", "issue_date_cn": "二〇二六年十二月三日",
          "case_number": "341122-XFJ-2026-00042", "petitioner_name": "刘某、陈某", "received_date_cn": "二〇二六年十一月二十日",
          "request_summary": "征地补偿款未发放"}

# kind: (its own fields, phrases the filled document must hold)
CASES = {
    K.ACCEPT_NOTICE: ({"handle_due_cn": "二〇二七年一月十九日", "handle_days": 60, "legal_basis": "《信访工作条例》第二十二条"},
                      ["受理告知书", "刘某、陈某：", "予以受理", "60日内（二〇二七年一月十九日前）", "《信访工作条例》第二十二条"]),
    K.DECLINE_NOTICE: ({"decline_reason": "该事项属于劳动争议", "proper_channel": "向安宁县劳动人事争议仲裁委员会申请仲裁",
                        "legal_basis": "《信访工作条例》第三十一条"},
                       ["不予受理告知书", "经审查，该事项属于劳动争议。", "请您向安宁县劳动人事争议仲裁委员会申请仲裁。"]),
    K.FORWARD_NOTICE: ({"to_unit_name": "安宁县自然资源局", "legal_basis": "《信访工作条例》第二十二条"},
                       ["转送告知书", "已转送安宁县自然资源局处理"]),
    K.EXTENSION_NOTICE: ({"extension_days": 30, "extension_reason": "需要实地测量", "handle_due_cn": "二〇二七年二月十八日",
                          "legal_basis": "《信访工作条例》第三十四条"},
                         ["延期告知书", "因需要实地测量", "延长30日", "至二〇二七年二月十八日"]),
    K.OPINION: ({"facts": "补偿款已拨付至乡财政所。", "opinion": "责成十日内发放。", "outcome": "支持", "legal_basis": "《土地管理法》",
                 "remedy": "如不服本处理意见，可自收到本意见书之日起30日内请求复查。"},
                ["信访处理意见书", "补偿款已拨付至乡财政所", "责成十日内发放", "支持", "30日内请求复查"]),
    K.REVIEW_OPINION: ({"facts": "原处理意见认定事实清楚。", "opinion": "维持原处理意见。", "outcome": "解释", "legal_basis": "第三十五条",
                        "remedy": "如不服本复查意见，可自收到之日起30日内请求复核。"},
                       ["复查意见书", "维持原处理意见", "30日内请求复核"]),
    K.RE_REVIEW_OPINION: ({"facts": "复查意见并无不当。", "opinion": "复核维持。", "outcome": "不支持", "legal_basis": "第三十六条",
                           "remedy": "本复核意见为终结意见。"},
                          ["复核意见书", "复核维持", "本复核意见为终结意见"]),
    K.REFUSE_NOTICE: ({"refuse_basis": "同一事实和理由已经复核终结（第三十六条）", "decline_reason": "已经复核终结", "legal_basis": "条例"},
                      ["不再受理告知书", "已经复核终结", "不再受理"]),
    K.ASSIGN_FORM: ({"to_unit_name": "城关镇人民政府", "assisting_units": "安宁县自然资源局", "content": "承包地被征收两年",
                     "handle_due_cn": "二〇二七年一月十日", "note": "请实地核查。"},
                    ["信访事项交办单", "城关镇人民政府：", "协办单位：安宁县自然资源局", "承包地被征收两年", "二〇二七年一月十日前办结"]),
    K.FORWARD_FORM: ({"to_unit_name": "青山乡人民政府", "content": "承包地被征收两年", "decide_due_cn": "二〇二六年十二月十八日", "note": ""},
                     ["信访事项转送单", "青山乡人民政府：", "二〇二六年十二月十八日前决定是否受理"]),
    K.SUPERVISE_FORM: ({"to_unit_name": "城关镇人民政府", "reason": "超期未办结", "requirements": "五日内办结", "reply_due_cn": "二〇二六年十二月十日",
                        "level": "挂牌督办", "responsible_name": "郑承办"},
                       ["信访事项督办单", "督办级别：挂牌督办", "督办原因：超期未办结", "责任人：郑承办", "二〇二六年十二月十日前"]),
    K.REMINDER_FORM: ({"to_unit_name": "城关镇人民政府", "handle_due_cn": "二〇二六年十二月一日", "reason": "即将到期",
                       "reply_due_cn": "二〇二六年十二月五日"},
                      ["信访事项催办单", "原办理期限为二〇二六年十二月一日", "催办原因：即将到期"]),
    K.BULLETIN: ({"title": "关于十一月信访事项办理情况的通报", "to_unit_name": "各乡镇人民政府", "body": "按期办结率百分之九十。",
                  "requirements": "请各单位对照整改。"},
                 ["关于十一月信访事项办理情况的通报", "各乡镇人民政府：", "请各单位对照整改。"]),
    K.MONTHLY_ANALYSIS: ({"period": "二〇二六年十一月", "to_unit_name": "县委、县政府", "summary": "总量下降。", "body": "征地拆迁类居多。",
                          "suggestions": "加强源头治理。"},
                         ["二〇二六年十一月信访情况分析", "一、总体情况。总量下降。", "三、对策建议。加强源头治理。"]),
}


def test_every_kind_has_a_case_here():
    assert set(CASES) == set(DocKind.values)


@pytest.mark.parametrize("kind", list(CASES))
def test_each_kind_renders_with_the_office_number_date_and_its_own_words(kind):
    own, expected = CASES[kind]
    context = {**COMMON, **own}
    assert set(context) >= set(FIELDS[kind]), "the hand-built context fills every field of the kind"
    text = text_of(render(kind, context))
    lines = text.splitlines()
    assert lines[0] == "安宁县信访局"  # the red header
    assert "安宁县信访局信告〔2026〕7号" in lines  # the 文号 line
    assert "安宁县信访局（印章）" in lines and lines[-1] == "二〇二六年十二月三日"
    for phrase in expected:
        assert phrase in text, (kind, phrase, text)
    assert "{{" not in text and "}}" not in text


@pytest.mark.parametrize("kind", list(CASES))
def test_the_sample_context_fills_every_field_of_its_kind(kind):
    sample = sample_context(kind)
    assert set(sample) == set(FIELDS[kind])
    assert all(str(value) for value in sample.values())


def test_text_that_looks_like_markup_is_written_as_text():
    text = text_of(render(K.ACCEPT_NOTICE, {**COMMON, "petitioner_name": "<b>张&三</b>"}))
    assert "<b>张&三</b>：" in text


@pytest.mark.parametrize("day, written", [
    (datetime.date(2026, 12, 3), "二〇二六年十二月三日"),
    (datetime.date(2026, 10, 20), "二〇二六年十月二十日"),
    (datetime.date(2027, 1, 31), "二〇二七年一月三十一日"),
    (datetime.date(2030, 11, 10), "二〇三〇年十一月十日"),
    (None, ""),
])
def test_dates_are_written_in_chinese_numerals(day, written):
    assert cn_date(day) == written
