import pytest
from django.urls import reverse

from xinfang.conftest import PASSWORD

PAGES = ["web:my_work", "web:search", "web:register", "web:candidates"]


@pytest.mark.parametrize("name", PAGES)
def test_it_sends_an_anonymous_visitor_to_the_login_page(client, db, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('web:login')}?next={url}"


def test_it_sends_an_anonymous_visitor_of_a_case_page_to_login(client, register_case):
    case = register_case()
    response = client.get(reverse("web:case", args=[case.number]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))


def test_the_root_url_leads_to_my_work(client, people):
    client.force_login(people["dengji"])
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("web:my_work")


def test_the_login_page_is_in_chinese_and_logs_in_with_the_password(client, people):
    page = client.get(reverse("web:login"))
    assert page.status_code == 200
    assert "工作人员登录" in page.content.decode()
    response = client.post(reverse("web:login"), {"username": "dengji", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("web:my_work")


def test_a_wrong_password_says_so_in_chinese(client, people):
    response = client.post(reverse("web:login"), {"username": "dengji", "password": "wrong-password"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_logout_is_a_post_and_returns_to_login(client, people):
    client.force_login(people["dengji"])
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("web:login")
    assert client.get(reverse("web:my_work")).status_code == 302
