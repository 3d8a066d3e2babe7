from xinfang.nlp.text import fold, prepare, redact, tokens


def test_traditional_characters_fold_to_simplified_keeping_the_length():
    assert fold("信訪問題") == "信访问题"
    assert fold("ＡＢＣ１２３") == "abc123"
    assert len(fold("臺灣後來發現")) == 6


def test_id_numbers_phones_and_mail_are_hidden():
    text = redact("身份证11010519491231002X，电话13800000001，座机0551-12345678，邮箱a.b@example.com，卡号6222021234567890123")
    for secret in ("11010519491231002X", "13800000001", "12345678", "a.b@example.com", "6222021234567890123"):
        assert secret not in text
    assert "〔证件号〕" in text and "〔电话〕" in text


def test_personal_numbers_never_become_words():
    words = tokens("我的身份证号是11010519491231002X，手机13800000001，请回电")
    assert not any(any(ch.isdigit() for ch in w) for w in words)
    assert "回电" in words or "电" in "".join(words)


def test_punctuation_and_emoji_only_give_no_words():
    assert tokens("！？。，……😀😀🎉") == []
    assert tokens("") == [] and tokens(None) == []


def test_mixed_latin_and_digits_are_kept_folded():
    words = tokens("A3区ＫＴＶ噪音，805路公交")
    assert "ktv" in words and "805" in "".join(words) and "噪音" in words


def test_a_text_of_100000_characters_is_cut_to_its_limit():
    text = "反映小区物业乱收停车费问题。" * 8000  # 112,000 characters; its time: bench/timings.py folding
    words = tokens(text)
    assert len(prepare(text)) <= 30_000 and words and "停车费" in "".join(words)
