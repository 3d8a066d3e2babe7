"""The unit administrator's view of a colleague in 系统管理: the work roles to choose
from, no superuser box; a screenshot for a person to look at."""

from django.contrib.auth.models import Group

from xinfang.conftest import BROWSER_TEST, SCREENS

pytestmark = BROWSER_TEST


def test_the_administrator_sees_only_the_roles_it_may_give(staff_page, live_server, people):
    page, errors = staff_page("guanli")
    page.goto(f"{live_server.url}/admin/org/user/{people['dengji'].pk}/change/")
    options = page.locator("select[id^=id_groups] option").all_inner_texts()
    assert "registrar" in options and "handler" in options
    assert "admin" not in options and "auditor" not in options
    assert page.locator("#id_is_superuser").count() == 0
    page.screenshot(path=str(SCREENS / "admin_rights_colleague.png"), full_page=True)
    page.goto(f"{live_server.url}/admin/org/user/{people['guanli'].pk}/change/")
    assert page.locator("select[id^=id_groups]").count() == 0  # one's own roles are read-only
    page.screenshot(path=str(SCREENS / "admin_rights_self.png"), full_page=True)
    assert Group.objects.get(name="auditor").user_set.count() == 1
    assert not errors
