from django.urls import reverse

HX = {"HX-Request": "true"}


def test_search_answers_a_normal_request_with_the_full_page(login, register_case):
    case = register_case()
    html = login("dengji").get(reverse("web:search"), {"q": "征地"}).content.decode()
    assert "<html" in html and 'id="results"' in html and "<form" in html and case.number in html


def test_search_answers_an_htmx_request_with_the_table_only(login, register_case):
    case = register_case()
    response = login("dengji").get(reverse("web:search"), {"q": "征地"}, headers=HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html and 'data-testid="case-table"' in html and case.number in html


def test_my_work_answers_an_htmx_page_request_with_the_table_only(login, register_case):
    register_case()
    html = login("dengji").get(reverse("web:my_work"), headers=HX).content.decode()
    assert "<html" not in html and 'data-testid="case-table"' in html


def test_the_register_candidates_panel_is_always_a_partial(login):
    html = login("dengji").get(reverse("web:candidates"), headers=HX).content.decode()
    assert "<html" not in html
