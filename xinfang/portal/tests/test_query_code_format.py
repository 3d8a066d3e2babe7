"""Query codes: unguessable, grouped for reading, case-insensitive, free of look-alike
characters, checked by a check character, stored only as a keyed hash."""

import re

from xinfang.portal import codes

FORMAT = re.compile(r"^XF-[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


def test_a_new_code_is_xf_and_four_groups_of_four_without_look_alikes():
    for _ in range(200):
        code = codes.new_code()
        assert FORMAT.match(code), code
        assert not set(code[3:]) & set("ILOU")


def test_codes_do_not_repeat():
    assert len({codes.new_code() for _ in range(2000)}) == 2000


def test_it_reads_a_code_in_any_case_with_spaces_and_look_alikes():
    code = codes.new_code()
    chars = codes.normalize(code)
    assert len(chars) == 16
    sloppy = code.lower().replace("-", " ").replace("1", "l").replace("0", "o")
    assert codes.normalize(sloppy) == chars
    assert codes.normalize(code[3:].replace("-", "")) == chars  # without the XF- prefix


def test_it_rejects_a_code_with_one_wrong_character_or_two_neighbours_swapped():
    chars = codes.normalize(codes.new_code())
    for i in range(16):
        for other in "0123456789ABCDEFGHJKMNPQRSTVWXYZ":
            if other != chars[i]:
                assert codes.normalize(chars[:i] + other + chars[i + 1:]) is None
    for i in range(15):
        if chars[i] != chars[i + 1]:
            assert codes.normalize(chars[:i] + chars[i + 1] + chars[i] + chars[i + 2:]) is None


def test_it_rejects_what_cannot_be_a_code():
    for text in ["", "XF-1234", "XF-UUUU-UUUU-UUUU-UUUU", "<script>", "1" * 40, None]:
        assert codes.normalize(text) is None


def test_the_same_seed_gives_the_same_code_and_another_seed_another():
    assert codes.new_code("k" * 32) == codes.new_code("k" * 32)
    assert codes.new_code("k" * 32) != codes.new_code("j" * 32)


def test_the_stored_hash_depends_on_the_servers_key(settings):
    chars = codes.normalize(codes.new_code())
    first = codes.code_hash(chars)
    assert chars not in first and len(first) == 64
    settings.PORTAL_CODE_KEY = "another-deployment-key"
    assert codes.code_hash(chars) != first


def test_the_last_four_digits_verify_only_their_own_code():
    class Sub:
        pass

    a, b = Sub(), Sub()
    a.code_hash, b.code_hash = "a" * 64, "b" * 64
    a.verifiers = codes.verifiers_for(a.code_hash, phone="13800000001", id_number="11010519491231002X")
    b.verifiers = codes.verifiers_for(b.code_hash, phone="13900000001")
    assert codes.verifies(a, "0001") and codes.verifies(a, "002x") and codes.verifies(a, "002X")
    assert not codes.verifies(a, "0002") and not codes.verifies(a, "") and not codes.verifies(a, "01")
    assert a.verifiers[0] not in b.verifiers  # salted with the code: equal digits, different hashes
