from xinfang.nlp.models import Term
from xinfang.nlp.text import SEGMENTER, tokens


def test_a_place_in_the_user_dictionary_stays_one_word(db):
    text = "华源府第小区居民反映噪音问题"
    assert "华源府第" not in tokens(text)

    Term.objects.create(word="华源府第", kind="place")

    assert "华源府第" in tokens(text)


def test_a_removed_word_is_cut_again(db):
    term = Term.objects.create(word="翠微雅居", kind="place")
    assert "翠微雅居" in tokens("翠微雅居停车难")

    term.delete()

    assert "翠微雅居" not in tokens("翠微雅居停车难")


def test_units_names_are_in_the_dictionary_without_the_suffix(units):
    SEGMENTER.stale()
    words = tokens("青山乡山下村的村民反映")
    assert "青山乡" in words and "山下村" in words
