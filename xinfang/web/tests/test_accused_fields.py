"""The register form records who an accusation accuses; the case page shows it."""

from django.urls import reverse

from xinfang.cases.models import Case

from .test_register_form import form_data


def test_the_register_form_records_the_accused_unit_and_post(login, units):
    data = form_data(channel="letter", kind="accusation", category_top="", category="", headcount="1",
                     accused_unit=units["zhuling"].code, accused_post="村主任",
                     **{"p-0-name": "", "p-0-id_number": "", "p-0-phone": "", "p-0-address": "", "p-0-is_representative": "",
                        "p-1-name": "", "p-1-phone": "", "p-1-is_representative": ""})
    client = login("dengji")
    response = client.post(reverse("web:register"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert (case.accused_unit, case.accused_post) == (units["zhuling"], "村主任")
    page = client.get(reverse("web:case", args=[case.number])).content.decode()
    assert 'data-testid="accused"' in page and "竹岭村 · 村主任" in page


def test_the_forward_picker_on_the_case_page_leaves_out_the_accused_unit(login, register_case, units):
    case = register_case(kind="accusation", accused_unit=units["qingshan"], petitioners=[])
    html = login("dengji").get(reverse("web:case_action", args=[case.number, "forward"]), headers={"HX-Request": "true"}).content.decode()
    assert "安宁县纪委监委" in html and "竹岭村" not in html and "青山乡人民政府" not in html
