import pytest
from django.urls import reverse

from xinfang.org.models import User


@pytest.fixture
def admin_client_(client, people):
    boss = User.objects.create_superuser("root", password="x-very-secret-1", unit=people["guanli"].unit)
    client.force_login(boss)
    return client


# Each page with what its user must see on it: the rows of a list, the fields of a form.
ADMIN_PAGES = {
    "admin:org_unit_changelist": ["安宁县信访局", "城关镇人民政府", "341122-XFJ"],
    "admin:org_user_changelist": ["dengji", "王登记", "jw_fuzeren"],
    "admin:intake_category_changelist": ["土地征收", "拖欠工资"],
    "admin:cases_case_changelist": ["CASE"],
    "admin:org_unit_add": ['name="code"', 'name="name"', 'name="parent"'],
    "admin:org_user_add": ['name="username"', 'name="password1"'],
}


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_the_admin_reference_pages_open(admin_client_, register_case, name):
    case = register_case(title="管理页面可见的事项")
    response = admin_client_.get(reverse(name))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ADMIN_PAGES[name]:
        assert (case.number if text == "CASE" else text) in html, text
    assert "Traceback" not in html and "errornote" not in html


def test_units_filter_by_subtree(admin_client_, units):
    html = admin_client_.get(reverse("admin:org_unit_changelist"), {"within": units["qingshan"].pk}).content.decode()
    assert "山下村" in html and "东街社区" not in html


def test_a_case_opens_read_only_with_its_petitions_and_events(admin_client_, register_case):
    case = register_case()
    response = admin_client_.get(reverse("admin:cases_case_change", args=[case.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and case.title in html and "办理记录" in html and 'name="_save"' not in html


def test_the_nav_offers_admin_to_staff_only(client, people):
    client.force_login(people["dengji"])
    assert reverse("admin:index") not in client.get(reverse("web:my_work")).content.decode()
    people["guanli"].is_staff = True
    people["guanli"].save(update_fields=["is_staff"])
    client.force_login(people["guanli"])
    assert reverse("admin:index") in client.get(reverse("web:my_work")).content.decode()
