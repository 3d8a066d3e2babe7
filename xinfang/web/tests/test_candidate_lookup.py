from django.urls import reverse

ID = "11010519491231002X"


def lookup(client, **params):
    return client.get(reverse("web:candidates"), params, headers={"HX-Request": "true"})


def test_typing_a_known_id_number_lists_the_petitioners_cases_with_a_merge_choice(login, register_case):
    case = register_case()
    response = lookup(login("dengji"), **{"p-0-id_number": ID.lower(), "p-0-phone": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert case.number in html and case.title in html
    assert f'data-merge-case="{case.number}"' in html and "作为重复信访并入" in html


def test_a_known_phone_number_alone_finds_the_case(login, register_case):
    case = register_case()
    html = lookup(login("dengji"), **{"p-3-phone": "13800000001"}).content.decode()
    assert case.number in html


def test_the_chosen_case_is_shown_as_chosen(login, register_case):
    case = register_case()
    html = lookup(login("dengji"), **{"p-0-id_number": ID, "case": case.number}).content.decode()
    assert "已选择并入" in html and 'aria-pressed="true"' in html


def test_a_half_typed_number_looks_nothing_up(login, register_case):
    register_case()
    response = lookup(login("dengji"), **{"p-0-id_number": ID[:10], "p-0-phone": "138"})
    assert response.context["looked_up"] is False and "输入信访人身份证号或电话后" in response.content.decode()


def test_a_wrong_check_digit_is_flagged_in_the_panel(login):
    html = lookup(login("dengji"), **{"p-1-id_number": "110105194912310021"}).content.decode()
    assert "第2行：身份证号校验位或出生日期不正确" in html


def test_a_stranger_to_the_case_finds_nothing(login, register_case):
    case = register_case()
    html = lookup(login("qs_fuzeren"), **{"p-0-id_number": ID}).content.decode()
    assert case.number not in html and "未找到同一信访人的已有事项" in html
