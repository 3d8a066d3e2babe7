import pytest
from django.urls import reverse

from xinfang.org.models import User


@pytest.fixture
def admin_client_(client, people):
    boss = User.objects.create_superuser("root", password="x-very-secret-1", unit=people["guanli"].unit)
    client.force_login(boss)
    return client


@pytest.mark.parametrize("name", ["admin:org_unit_changelist", "admin:org_user_changelist", "admin:intake_category_changelist",
                                  "admin:cases_case_changelist", "admin:org_unit_add", "admin:org_user_add"])
def test_the_admin_reference_pages_open(admin_client_, name):
    assert admin_client_.get(reverse(name)).status_code == 200


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
