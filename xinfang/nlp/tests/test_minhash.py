from xinfang.nlp.minhash import Hasher, MemoryIndex, text_hash
from xinfang.nlp.text import prepare

A = "座落在A市A3区联丰路米兰春天G2栋320，一家影楼在居民楼内部营业多年，请税务局和工商局查一下有没有正常纳税！"
A_AGAIN = "座落在A市A3区联丰路米兰春天G2栋320的一家影楼在居民楼内部营业多年，请税务局、工商局查一下有没有正常纳税。谢谢"
OTHER = "A6区道路命名规划已经初步成果公示，希望加快完成路名规范，给道路安装好路名牌，农村门牌号10年未更换。"


def test_a_near_identical_text_is_found_and_an_unrelated_one_is_not():
    h = Hasher(64, 16)
    index = MemoryIndex(h)
    index.add("a", h.signature(prepare(A)))
    index.add("other", h.signature(prepare(OTHER)))

    found = index.query(h.signature(prepare(A_AGAIN)), 0.6)

    assert [key for _, key in found] == ["a"]
    assert found[0][0] >= 0.6


def test_the_same_letters_have_the_same_hash_whatever_the_punctuation_or_script():
    assert text_hash(prepare("信訪：補償款，未發放！")) == text_hash(prepare("信访 补偿款未发放"))
    assert text_hash(prepare("")) == "" and text_hash(prepare("！！😀")) == ""


def test_texts_without_letters_have_no_signature_and_short_ones_have_one():
    h = Hasher(64, 16)
    assert h.signature(prepare("……😀")) is None
    assert h.signature(prepare("好")) is not None


def test_signatures_survive_storage():
    h = Hasher(64, 16)
    sig = h.signature(prepare(A))
    assert (h.from_bytes(h.to_bytes(sig)) == sig).all() and len(h.band_keys(sig)) == 16
