"""More than a hundred sentences with the place a person reading them would name
(issue #17, "Places named wrong"). The deployment's own unit tree comes first; cpca adds a
province, city or district only when the text names the province or city or the answer
lies in the deployment's own region; a bare 县, 区, 市 or 镇 is never a place."""

import csv
from pathlib import Path

import pytest

from xinfang.nlp.places import GAZETTEER, GENERIC_DIVISIONS, extract, named_in, place_unit

# The sample county (org/sample.py): 江州市 › 安宁县 › townships › villages. A text naming
# one of its places is placed there, in the deployment's own names.
SAMPLE_PLACES = {
    "chengguan": ["城关镇"], "dongjie": ["东街社区"], "xijie": ["西街社区"], "qingshan": ["青山乡"],
    "shanxia": ["山下村", "青山乡山下村"], "zhuling": ["竹岭村", "青山乡竹岭村"], "hekou": ["河口镇"],
    "dukou": ["渡口村", "河口镇渡口村"], "xinhe": ["新河村", "河口镇新河村"],
}
TEMPLATES = [
    "{place}的村民反映道路坑洼多年未修",
    "请县里督促{place}解决饮水问题",
    "{place}附近工厂夜间噪音扰民，区里一直没人管",
    "关于{place}村务财务长期不公开的问题，请求市里过问",
    "我家住{place}，镇上的集市占道经营",
]
SAMPLE = [(key, TEMPLATES[i % len(TEMPLATES)].format(place=name))
          for key, names in SAMPLE_PLACES.items() for j, name in enumerate(names) for i in range(j, j + len(TEMPLATES))]

# Texts that name a province or a city outright: cpca's answer stands.
EXPLICIT = [
    ("湖南省长沙市岳麓区麓山南路的路灯坏了", ("湖南省", "长沙市", "岳麓区")),
    ("广州市天河区珠江新城地铁站扶梯故障", ("广东省", "广州市", "天河区")),
    ("成都市武侯区某小区停水三天", ("四川省", "成都市", "武侯区")),
    ("武汉市洪山区光谷广场交通拥堵", ("湖北省", "武汉市", "洪山区")),
    ("深圳市南山区科技园加班严重", ("广东省", "深圳市", "南山区")),
    ("南京市鼓楼区学校乱收费", ("江苏省", "南京市", "鼓楼区")),
    ("杭州西湖景区乱收费", ("浙江省", "杭州市", "")),
    ("重庆市渝中区解放碑商圈乱停车", ("重庆市", "", "渝中区")),
    ("北京市朝阳区三里屯路口占道经营", ("北京市", "", "朝阳区")),
    ("安徽省滁州市的企业拖欠工资", ("安徽省", "滁州市", "")),
]

# Nothing but a bare word for a level of government: no place at all.
BARE = ["县里不管", "区里的路灯坏了", "镇上的集市占道", "请市里督促解决", "乡里不作为", "县城的公交太少", "省里的政策落实不到位",
        "市区停车难"]


def real_titles(count=45):
    """Real messages (gov-messages, places masked as A市, A3区): a province, city or
    district is given to one only when the text itself names it (one says it came back
    from Beijing: 北京 is named, and a reader could not tell it from the place of the
    matter either)."""
    path = Path(__file__).resolve().parents[4] / "shared" / "data" / "gov-messages" / "unlabelled.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [f"{r['title']}。{r['text'][:200]}" for r in rows[:count * 30:30]]


def test_the_set_is_over_a_hundred_sentences():
    assert len(SAMPLE) + len(EXPLICIT) + len(BARE) + len(real_titles()) >= 100


@pytest.mark.parametrize("key,text", SAMPLE)
def test_a_place_of_the_county_is_placed_in_the_deployments_own_tree(key, text, units):
    GAZETTEER.stale()
    found = extract(text)
    assert place_unit(found) == units[key], found.as_dict()
    assert (found.city, found.district) == ("江州市", "安宁县"), found.as_dict()
    assert found.province == "" and found.adcode.startswith("341122")


@pytest.mark.parametrize("text,expected", EXPLICIT)
def test_a_text_naming_its_province_or_city_is_placed_by_cpca(text, expected, units):
    found = extract(text)
    assert (found.province, found.city, found.district) == expected


@pytest.mark.parametrize("text", BARE)
def test_a_bare_level_of_government_is_never_a_place(text, units):
    found = extract(text)
    assert (found.province, found.city, found.district, found.key) == ("", "", "", "")


@pytest.mark.parametrize("text", real_titles())
def test_a_real_message_with_masked_places_gets_no_invented_province(text, units):
    found = extract(text)
    for division in (found.province, found.city, found.district):
        assert division == "" or named_in(division, text), found.as_dict()
    assert found.city not in GENERIC_DIVISIONS and found.district not in GENERIC_DIVISIONS


def test_the_issues_example_is_placed_in_the_county_not_in_chongqing(units):
    GAZETTEER.stale()
    found = extract("竹岭村村务财务长期不公开。竹岭村的财务账目多年没有公开，请求县里督促公开。")
    assert found.province != "重庆市" and found.city != "县"
    assert (found.city, found.district, found.key) == ("江州市", "安宁县", "竹岭村")


def test_cpca_agreeing_with_the_deployments_region_is_kept(units):
    """来安县 is 341122, the sample county's own code: a text naming it keeps cpca's answer."""
    found = extract("来安县的企业拖欠工资")
    assert (found.province, found.city, found.district) == ("安徽省", "滁州市", "来安县")
