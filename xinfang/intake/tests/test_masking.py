"""Masked personal data, as screens show it before anyone reveals it."""

from xinfang.lib.crypto import Unreadable
from xinfang.lib.masking import mask_address, mask_id, mask_phone


def test_an_id_number_keeps_its_region_and_last_four():
    assert mask_id("330102199001011234") == "3301**********1234"
    assert mask_id("11010519491231002X") == "1101**********002X"
    assert mask_id("12345") == "*****" and mask_id("") == ""


def test_a_mobile_keeps_three_and_four_digits_and_other_numbers_the_last_four():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("138-1234-5678") == "138****5678"
    assert mask_phone("0551-12345678") == "********5678"
    assert mask_phone("110") == "***" and mask_phone("") == ""


def test_an_address_keeps_the_divisions_down_to_the_town():
    assert mask_address("安徽省江州市安宁县城关镇东街1号") == "安徽省江州市安宁县城关镇****"
    assert mask_address("城关镇东街1号") == "城关镇****"
    assert mask_address("青山乡山下村3组") == "青山乡****"
    assert mask_address("北京市朝阳区建国路88号") == "北京市朝阳区****"
    assert mask_address("江州市安宁县人民路12号3栋") == "江州市安宁县****"


def test_an_address_without_divisions_is_hidden_whole_and_a_mask_never_equals_the_value():
    assert mask_address("人民路超市旁") == "****"
    assert mask_address("东街社区3栋201室") == "****"
    assert mask_address("浙江省杭州市西湖区") == "浙江省杭州市****"
    assert mask_address("") == ""


def test_an_unreadable_value_is_shown_as_its_notice():
    value = Unreadable("xf1$gone$AAAA", "密钥 gone 不在密钥环中")
    assert mask_id(value) == mask_phone(value) == mask_address(value) == "〔无法解密：密钥 gone 不在密钥环中〕"
