import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xinfang.cases.models import Case
from xinfang.intake.models import Petition

GOOD_ID = "11010519491231002X"
BAD_ID = "110105194912310021"  # check digit should be X


def form_data(**overrides):
    data = {
        "channel": "visit", "received_at": "", "receiving_unit": "341122-XFJ", "kind": "grievance",
        "category_top": "01", "category": "0101", "title": "征地补偿款未发放", "content": "村民六人来访，反映补偿款未发放。",
        "headcount": "6", "case": "", "agent_name": "", "agent_role": "", "referral_from": "",
        "p-TOTAL_FORMS": "5", "p-INITIAL_FORMS": "0", "p-MIN_NUM_FORMS": "0", "p-MAX_NUM_FORMS": "200",
        "p-0-name": "刘某", "p-0-id_number": GOOD_ID, "p-0-phone": "13800000001", "p-0-address": "城关镇东街1号",
        "p-0-is_representative": "on",
        "p-1-name": "陈某", "p-1-phone": "13800000002", "p-1-is_representative": "on",
    }
    data.update(overrides)
    return data


def test_the_register_form_offers_the_users_units_and_defaults_to_their_own(login):
    response = login("dengji").get(reverse("web:register"))
    assert response.status_code == 200
    form = response.context["form"]
    codes = [code for code, _ in form.fields["receiving_unit"].choices]
    assert form["receiving_unit"].value() == "341122-XFJ"
    assert "341122100" in codes and "341122-XFJ" in codes and "341100" not in codes
    html = response.content.decode()
    assert "autofocus" in html and 'id="petitioner-empty"' in html and "data-merge-case" not in html


def test_a_visit_form_starts_with_five_petitioner_rows(login):
    response = login("dengji").get(reverse("web:register") + "?channel=visit")
    assert len(response.context["formset"].forms) == 5


def test_registering_a_visit_redirects_to_the_case_with_its_number(login):
    client = login("dengji")
    upload = SimpleUploadedFile("来信.txt", "信访材料".encode(), content_type="text/plain")
    response = client.post(reverse("web:register"), {**form_data(), "attachments": [upload]})

    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:case", args=[case.number])
    assert case.is_collective and case.headcount == 6 and case.category.code == "0101"
    petition = Petition.objects.get()
    assert [(p.name, p.is_representative) for p in petition.petitioners.all()] == [("刘某", True), ("陈某", True)]
    assert petition.attachments.count() == 1
    page = client.get(response["Location"])
    assert f"登记成功，事项编号 {case.number}" in page.content.decode()


def test_a_top_level_category_alone_is_accepted(login):
    login("dengji").post(reverse("web:register"), form_data(category=""))
    assert Case.objects.get().category.code == "01"


def test_a_bad_id_number_and_a_missing_title_are_shown_next_to_the_fields_and_nothing_is_saved(login):
    response = login("dengji").post(reverse("web:register"), form_data(title="", **{"p-1-id_number": BAD_ID}))

    assert response.status_code == 422
    assert not Case.objects.exists()
    form, formset = response.context["form"], response.context["formset"]
    assert form.errors["title"] == ["请填写标题"]
    assert formset.forms[1].errors["id_number"] == ["身份证号校验位或出生日期不正确"]
    html = response.content.decode()
    assert 'id="id_title_error"' in html and 'id="id_p-1-id_number_error"' in html
    assert "/ A title" not in html  # the Chinese half only


def test_what_the_clerk_typed_stays_in_the_form_after_an_error(login):
    response = login("dengji").post(reverse("web:register"), form_data(title="", **{"p-1-id_number": BAD_ID}))
    html = response.content.decode()
    assert "村民六人来访，反映补偿款未发放。" in html
    assert f'value="{BAD_ID}"' in html and 'value="城关镇东街1号"' in html and 'value="13800000002"' in html
    assert re.search(r'value="visit"\s+autocomplete="off" checked', html)
    assert '<option value="0101" selected data-parent="01">' in html
    assert 'name="headcount" value="6"' in html


def test_a_collective_visit_without_representatives_is_refused_with_the_reason(login):
    data = form_data()
    data.pop("p-0-is_representative")
    data.pop("p-1-is_representative")
    response = login("dengji").post(reverse("web:register"), data)
    assert response.status_code == 422 and not Case.objects.exists()
    assert "集体访请推选不超过5名代表" in response.content.decode()


def test_a_file_of_a_forbidden_type_is_named_next_to_the_attachments(login):
    upload = SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/octet-stream")
    response = login("dengji").post(reverse("web:register"), {**form_data(), "attachments": [upload]})
    assert response.status_code == 422 and not Case.objects.exists()
    assert "tool.exe" in response.context["form"].errors["attachments"][0]
    assert "请重新选择" in response.content.decode()


def test_a_repeat_petition_joins_the_chosen_case(login, register_case):
    first = register_case()
    response = login("dengji").post(reverse("web:register"), form_data(case=first.number, channel="phone"))
    assert response["Location"] == reverse("web:case", args=[first.number])
    first.refresh_from_db()
    assert first.petition_count == 2 and Case.objects.count() == 1


def test_a_user_without_a_registering_role_is_told_so(login):
    response = login("tongji").post(reverse("web:register"), form_data())
    assert response.status_code == 403 and not Case.objects.exists()
    assert "您没有登记信访件的权限" in response.content.decode()


def test_the_form_takes_document_type_sex_and_household_place_and_the_case_page_shows_them(login, units):
    client = login("dengji")
    response = client.post(reverse("web:register"), form_data(**{
        "p-0-id_number": "341122198503154327", "p-0-household_unit": "341122100001",
        "p-1-document_type": "hkmo_permit", "p-1-id_number": "H12345678", "p-1-sex": "male",
        "p-1-household_place": "香港特别行政区"}))
    assert response.status_code == 302
    first, second = Petition.objects.get().petitioners.all()
    assert (first.sex, first.household_place, first.household_unit.code) == ("female", "安宁县城关镇东街社区", "341122100001")
    assert (second.document_type, second.sex, second.household_place) == ("hkmo_permit", "male", "香港特别行政区")
    html = client.get(response["Location"]).content.decode()
    assert "港澳居民来往内地通行证" in html and "安宁县城关镇东街社区" in html and "H1234****" not in html
    assert "3411**********4327" in html and "341122198503154327" not in html


def test_a_bad_document_number_is_shown_at_its_row_in_chinese_and_nothing_is_registered(login):
    response = login("dengji").post(reverse("web:register"), form_data(**{
        "p-1-document_type": "taiwan_permit", "p-1-id_number": "1234567"}))
    assert response.status_code == 422 and not Case.objects.exists()
    formset = response.context["formset"]
    assert formset.forms[1].errors["id_number"] == ["台湾居民来往大陆通行证号码应为8位数字"]
