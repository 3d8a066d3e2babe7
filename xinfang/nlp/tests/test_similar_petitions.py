"""Registration finds earlier petitions like the new one: the same letter sent to two
offices (一信多投), the same petitioner, the same place and category."""

import pytest

from xinfang.nlp.models import MinHashBand, TextProfile
from xinfang.nlp.services import similar_petitions

LETTER = ("城关镇东街社区翠苑小区旁的养猪场臭气熏天，苍蝇成群，周边三百多户居民无法开窗，"
          "多次向镇里反映无人处理，请求有关部门尽快关停或整改。")
pytestmark = pytest.mark.time_machine("2026-03-20 10:00 +0800", tick=False)


def test_registration_indexes_the_petition(letter):
    petition, case = letter(content=LETTER)
    profile = TextProfile.objects.get(pk=petition.pk)
    assert profile.case_id == case.pk and profile.signature
    assert MinHashBand.objects.filter(petition_id=petition.pk).count() == 16


def test_the_same_letter_at_another_unit_is_found_with_its_score_and_reason(letter, people, units):
    _, first = letter(content=LETTER, title="养猪场臭气扰民")

    found = similar_petitions(actor=people["dengji"], title="反映养猪场臭气扰民", content=LETTER.replace("，", "。"),
                              receiving_unit=units["chengguan"])

    assert [s.case for s in found] == [first]
    assert found[0].reasons[0] == "same_text" and found[0].score >= 0.9 and found[0].other_unit


def test_a_different_matter_is_not_found(letter, people):
    letter(content=LETTER)
    found = similar_petitions(actor=people["dengji"], title="拖欠工资", content="某建筑公司拖欠农民工工资三个月未发，请求帮助讨薪。")
    assert found == []


def test_the_same_petitioner_is_a_reason_even_with_other_words(letter, people):
    _, first = letter(petitioners=[{"name": "刘某", "phone": "13800000001"}])
    found = similar_petitions(actor=people["dengji"], title="宅基地纠纷", content="邻居占用宅基地。",
                              petitioners=[{"phone": "13800000001"}])
    assert [s.case for s in found] == [first] and found[0].reasons == ["same_petitioner"]


def test_same_place_and_category_is_a_reason(letter, people):
    _, first = letter(title="山下村垃圾", content="青山乡山下村村口垃圾堆放无人清运。", category="0604", actor="qs_fuzeren",
                      receiving_unit="341122200")
    found = similar_petitions(actor=people["qs_fuzeren"], title="污水", content="青山乡山下村污水横流，气味难闻。", category="06")
    assert [s.case for s in found] == [first] and "same_place_category" in found[0].reasons


def test_a_user_of_another_unit_sees_nothing(letter, people):
    letter(content=LETTER)
    assert similar_petitions(actor=people["qs_fuzeren"], title="养猪场", content=LETTER) == []


def test_petitions_outside_the_time_window_are_not_offered(letter, people, settings, time_machine):
    letter(content=LETTER)
    settings.XINFANG_NLP = {"similar_window_days": 30}
    time_machine.move_to("2026-06-01 10:00 +0800")
    assert similar_petitions(actor=people["dengji"], title="养猪场", content=LETTER) == []


@pytest.mark.parametrize("content", ["", "！！！……", "😀" * 50, "信" * 100_000])
def test_bad_input_gives_no_crash(letter, people, content):
    letter(content=LETTER)
    assert isinstance(similar_petitions(actor=people["dengji"], title="", content=content), list)


def test_a_visit_under_the_same_title_finds_the_open_case_first(letter, people, units):
    """Issue #17: the visit titled exactly like a case registered two months before, at
    the same county, answered no similar petition at all."""
    _, first = letter(title="竹岭村村务财务长期不公开", content="竹岭村的财务账目多年没有公开，村民多次要求查看未果，请求县里督促公开。")
    letter(title="城关镇东街路灯不亮", content="东街路灯坏了一个月没人修。")

    found = similar_petitions(actor=people["dengji"], title="竹岭村村务财务长期不公开", content="上访人当面反映村里账目不公开。")

    assert [s.case for s in found][:1] == [first]
    assert {"same_title", "same_words"} <= set(found[0].reasons)
    assert "标题相同" in found[0].reason_labels


def test_a_reworded_title_is_found_by_its_key_words(letter, people):
    _, first = letter(title="竹岭村村务财务长期不公开", content="竹岭村的财务账目多年没有公开，请求县里督促公开。")

    found = similar_petitions(actor=people["dengji"], title="反映竹岭村财务村务不公开问题", content="村里的账从来不公布。")

    assert [s.case for s in found] == [first] and found[0].reasons == ["same_words"]


def test_a_title_of_only_common_words_matches_nothing_by_words(letter, people):
    letter(title="拖欠工资", content="某公司拖欠工资三个月。")
    found = similar_petitions(actor=people["dengji"], title="讨要工资", content="老板不发工资。")
    assert all("same_words" not in s.reasons for s in found)


def test_a_same_title_outside_the_window_or_scope_is_not_offered(letter, people, settings, time_machine):
    letter(title="竹岭村村务财务长期不公开", content="竹岭村的财务账目多年没有公开。")
    assert similar_petitions(actor=people["qs_fuzeren"], title="竹岭村村务财务长期不公开", content="账目不公开。") == []
    settings.XINFANG_NLP = {"similar_window_days": 30}
    time_machine.move_to("2026-06-01 10:00 +0800")
    assert similar_petitions(actor=people["dengji"], title="竹岭村村务财务长期不公开", content="账目不公开。") == []
