"""Integration: two near-identical letters registered at two units through the API; the
second registration answers with the first as related, and a merge joins them."""

import pytest

from xinfang.cases.models import Case
from xinfang.cases.services import perform

LETTER = {
    "channel": "letter", "kind": "grievance", "title": "反映养猪场臭气扰民",
    "content": "城关镇东街社区翠苑小区旁的养猪场臭气熏天，苍蝇成群，周边三百多户居民无法开窗，多次向镇里反映无人处理，请求尽快关停。",
    "petitioners": [{"name": "王某"}],
}
pytestmark = pytest.mark.time_machine("2026-03-20 10:00 +0800", tick=False)


def test_two_near_identical_letters_at_two_units_are_linked(api_as, people, indexed):
    with indexed():
        first = api_as("dengji").post("/petitions", {**LETTER, "receiving_unit": "341122-XFJ"}).json()
    with indexed():
        response = api_as("dengji").post("/petitions", {**LETTER, "receiving_unit": "341122100",
                                                        "content": LETTER["content"].replace("尽快关停", "尽快关停整改") + "谢谢！",
                                                        "petitioners": [{"name": "李某"}]})

    assert response.status_code == 201
    related = response.json()["related"]
    assert [r["number"] for r in related] == [first["case"]["number"]]
    assert related[0]["reasons"] == ["same_text", "same_title", "same_words"]
    assert related[0]["score"] >= 0.8 and related[0]["other_unit"] is True
    assert related[0]["reason_labels"] == ["相同内容", "标题相同", "标题关键词相同"]
    suggestions = response.json()["suggestions"]
    assert suggestions["category"]["code"] and "low_confidence" in suggestions["category"]
    assert suggestions["place_unit"]["name"] == "东街社区"

    # The bureau joins its copy into the township's case: one matter, not a repeat.
    source = Case.objects.get(number=first["case"]["number"])
    with indexed():
        perform(case=source, action="merge", actor=people["dengji"], into=response.json()["case"]["number"], reason="same_letter")
    target = Case.objects.get(number=response.json()["case"]["number"])
    assert target.petition_count == 2 and not target.petitions.filter(is_repeat=True).exists()
    assert api_as("dengji").get("/cases", {"q": "养猪场 臭气"}).json()["count"] == 2  # the merged case stays findable
