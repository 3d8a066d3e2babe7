import pytest

from xinfang.nlp.models import Term
from xinfang.nlp.places import GAZETTEER, extract, place_unit


def test_the_administrative_part_comes_from_cpca(db):
    found = extract("湖南省长沙市岳麓区麓山南路的路灯坏了")
    assert (found.province, found.city, found.district) == ("湖南省", "长沙市", "岳麓区") and found.adcode == "430104"


def test_finer_places_are_words_that_end_like_places(db):
    found = extract("A市A3区米兰春天小区旁边的联丰路施工噪音")
    assert "米兰春天小区" in found.local and "联丰路" in found.local


def test_the_unit_of_the_place_is_the_most_specific_unit_named(units):
    GAZETTEER.stale()
    found = extract("青山乡山下村的水渠被堵")
    assert [u.name for u in found.units][:2] == ["山下村", "青山乡人民政府"]
    assert place_unit(found).name == "山下村"
    assert place_unit(found, scope=units["hekou"]) is None


def test_a_place_in_the_user_dictionary_points_to_its_unit(units):
    Term.objects.create(word="翠苑小区", kind="place", unit=units["dongjie"])
    assert place_unit(extract("翠苑小区垃圾清运不及时")).name == "东街社区"


def test_nothing_to_find_is_no_error(db):
    for text in ["", "😀！", "x" * 100_000]:
        found = extract(text)
        assert found.key == "" or isinstance(found.key, str)


@pytest.mark.parametrize("text", ["安徽省江州市安宁县城关镇东街1号小区门口积水", "徐汇区虹漕路461号58号楼5楼",
                                  "泉州市洛江区万安塘西工业区噪音扰民", "市里的学校食堂卫生很差"])
def test_the_fast_path_reads_the_same_places_as_cpcas_own_transform(text):
    import cpca

    from xinfang.nlp.places import _administrative

    row = cpca.transform([text]).iloc[0]
    expected = tuple(v if isinstance(v, str) else "" for v in (row["省"], row["市"], row["区"], row["adcode"]))
    assert _administrative.__wrapped__(text) == expected
