import pytest
from django.urls import reverse

from xinfang.nlp.filters import CaseFilter, filter_cases
from xinfang.nlp.models import SearchDocument
from xinfang.nlp.search import highlight, query_words

pytestmark = pytest.mark.time_machine("2026-03-20 10:00 +0800", tick=False)


def found(user, q):
    return [c.number for c in filter_cases(user, CaseFilter(q=q))]


def test_a_two_word_query_finds_the_case_through_the_index(letter, people):
    _, case = letter(title="物业乱收停车费", content="小区物业公司未经业主同意收取地面停车费。")
    letter(title="噪音扰民", content="夜间施工噪音扰民。")
    assert SearchDocument.objects.filter(case=case).exists()
    assert found(people["dengji"], "停车 物业") == [case.number]
    assert found(people["dengji"], "停车 噪音") == []


def test_a_traditional_query_finds_simplified_text_and_the_reverse(letter, people):
    _, simplified = letter(title="信访问题", content="补偿款未发放。")
    _, traditional = letter(title="補償問題", content="徵地補償款至今沒有發放。")
    assert found(people["dengji"], "信訪") == [simplified.number]
    assert found(people["dengji"], "补偿款 发放") == sorted([simplified.number, traditional.number]) or \
        set(found(people["dengji"], "补偿款 发放")) == {simplified.number, traditional.number}


def test_replies_are_searched(letter, people):
    _, case = letter(title="路灯不亮", content="东街路灯坏了。")
    from xinfang.cases.services import perform

    with_reply = [("accept", {}), ("reply", {"outcome": "support", "request_summary": "修路灯", "facts": "已派电工",
                                             "opinion": "已更换灯泡并恢复照明"})]

    for action, params in with_reply:
        perform(case=case, action=action, actor=people["fuzeren"], **params)
    from xinfang.nlp.index import resync_case

    resync_case(case.pk)
    assert found(people["dengji"], "更换灯泡") == [case.number]


def test_names_are_found_only_where_the_identity_may_be_seen(letter, people, units):
    _, open_case = letter(title="征地补偿", petitioners=[{"name": "欧阳明"}])
    _, accusation = letter(title="举报村干部", kind="accusation", content="举报村干部侵占集体资金。", petitioners=[{"name": "欧阳明"}],
                           actor="cg_dengji", receiving_unit="341122100")
    assert set(found(people["dengji"], "欧阳明")) == {open_case.number}
    assert found(people["cg_dengji"], "欧阳明") == [accusation.number]


def test_results_stay_in_the_users_scope(letter, people):
    letter(title="物业乱收停车费", content="小区物业公司收取停车费。")
    assert found(people["qs_fuzeren"], "停车费") == []


def test_a_case_not_yet_indexed_is_found_by_its_text(register_case, people):
    case = register_case(title="拖欠工资", content="工程款拖欠工人工资")
    assert found(people["dengji"], "工人") == [case.number]


@pytest.mark.parametrize("q", ["😀😀", "！？", "a" * 300, "\"OR\" * NEAR(", "' & | !"])
def test_odd_queries_do_not_crash(letter, people, login, q):
    _, case = letter()
    # Nothing in the letter matches: an empty list, not every case and not an error.
    assert found(people["dengji"], q) == []
    page = login("dengji").get(reverse("web:search"), {"q": q})
    assert page.status_code == 200 and case.number not in page.content.decode()
    assert found(people["dengji"], "补偿款") == [case.number]  # and the index still answers


def test_highlight_marks_the_words_and_escapes_the_rest():
    html = highlight("<b>征地補償款</b>至今未发放", "补偿款")
    assert "<mark>補償款</mark>" in html and "&lt;b&gt;" in html
    assert highlight("一" * 500 + "补偿款", "补偿款", width=40).startswith("…")
    assert query_words("😀") == []


def test_the_search_page_shows_highlights(letter, login):
    _, case = letter(title="物业乱收停车费", content="小区物业公司未经业主同意收取地面停车费。")
    html = login("dengji").get(reverse("web:search"), {"q": "停车费"}).content.decode()
    assert case.number in html and "<mark>停车费</mark>" in html


def test_only_the_newest_matches_go_on_when_there_are_too_many(letter, people, settings):
    cases = [letter(title=f"物业停车费{i}", content="小区物业公司收取停车费。")[1] for i in range(5)]
    settings.XINFANG_NLP = {"search_max_matches": 2}
    assert found(people["dengji"], "停车费 物业") == sorted(c.number for c in cases[-2:])
    settings.XINFANG_NLP = {"search_max_matches": 10}
    assert found(people["dengji"], "停车费 物业") == sorted(c.number for c in cases)
