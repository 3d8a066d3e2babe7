"""Nobody raises their own rights in the admin. The unit administrator (系统管理员,
`guanli` of 安宁县信访局, whose scope is 安宁县) opens /admin/ through the role alone,
manages the people and units of its scope and the holiday schedule, gives only the work
roles, never its own rights, never the superuser flag; every change of rights is on
the audit record. Each refusal is a real POST to the admin."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from xinfang.audit.models import AuditEntry
from xinfang.calendar.models import OfficialDay
from xinfang.org.choices import Role
from xinfang.org.models import Unit, User

pytestmark = pytest.mark.django_db


def group(role):
    return Group.objects.get(name=role)


def form_data(user, **changes):
    """What the admin's change form posts for `user`, with `changes`."""
    data = {
        "username": user.username, "display_name": user.display_name, "phone": user.phone,
        "unit": user.unit_id or "", "groups": [g.pk for g in user.groups.all()],
        "is_active": "on" if user.is_active else "", "must_change_password": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"), "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "", "last_login_1": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v not in ("", None)}


def change(client, user, **changes):
    return client.post(reverse("admin:org_user_change", args=[user.pk]), form_data(user, **changes))


def fresh(user):
    user = User.objects.get(pk=user.pk)
    return user, set(user.groups.values_list("name", flat=True))


@pytest.fixture
def guanli(login):
    return login("guanli")


# --- the role opens the admin -------------------------------------------------------------


def test_the_admin_role_opens_the_admin_without_raw_permissions(people, guanli):
    admin_user = people["guanli"]
    assert admin_user.is_staff and not admin_user.user_permissions.exists()
    page = guanli.get("/admin/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "工作人员" in text and "单位" in text and "法定节假日与调休日" in text
    listing = guanli.get(reverse("admin:org_user_changelist")).content.decode()
    assert "dengji" in listing and "qs_fuzeren" in listing
    assert "city_fuzeren" not in listing  # 江州市信访局 is above 安宁县


def test_taking_the_admin_role_away_closes_the_admin(people, client):
    people["guanli"].groups.remove(group(Role.ADMIN))
    assert not User.objects.get(username="guanli").is_staff
    client.force_login(User.objects.get(username="guanli"))
    assert client.get("/admin/").status_code == 302


def test_the_admin_enters_a_2027_holiday(guanli):
    response = guanli.post(reverse("admin:legal_calendar_officialday_add"),
                           {"date": "2027-10-01", "kind": "holiday", "name": "国庆节"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert OfficialDay.objects.filter(date=datetime.date(2027, 10, 1), kind="holiday").exists()


# --- giving roles -------------------------------------------------------------------------


def test_the_admin_gives_a_work_role_and_it_is_recorded(people, guanli):
    dengji = people["dengji"]
    response = change(guanli, dengji, groups=[group(Role.REGISTRAR).pk, group(Role.HANDLER).pk])
    assert response.status_code == 302
    assert fresh(dengji)[1] == {"registrar", "handler"}
    entry = AuditEntry.objects.get(action="user.rights", object_id=str(dengji.pk))
    assert entry.actor == people["guanli"]
    assert entry.detail["groups"] == [["registrar"], ["handler", "registrar"]]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.AUDITOR])
def test_the_admin_cannot_give_the_admin_or_auditor_role(people, guanli, role):
    dengji = people["dengji"]
    response = change(guanli, dengji, groups=[group(Role.REGISTRAR).pk, group(role).pk])
    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert fresh(dengji)[1] == {"registrar"}
    assert not AuditEntry.objects.filter(action="user.rights").exists()


def test_nobody_edits_their_own_rights(people, guanli):
    me = people["guanli"]
    response = change(guanli, me, display_name="周管理员", groups=[group(Role.ADMIN).pk, group(Role.AUDITOR).pk],
                      is_superuser="on", is_staff="on", unit=people["city_fuzeren"].unit_id)
    assert response.status_code == 302
    me, roles = fresh(me)
    assert me.display_name == "周管理员"  # the name is theirs to edit
    assert roles == {"admin"} and not me.is_superuser and me.unit.code == "341122-XFJ"


def test_the_superuser_flag_is_never_set_in_a_form(people, admin_client):
    dengji = people["dengji"]
    response = change(admin_client, dengji, is_superuser="on", is_staff="on")
    assert response.status_code == 302
    dengji, _ = fresh(dengji)
    assert not dengji.is_superuser and dengji.is_staff  # a superuser may give the staff flag
    add = admin_client.post(reverse("admin:org_user_add"), {
        "username": "xinren", "display_name": "新人", "unit": dengji.unit_id, "is_superuser": "on",
        "password1": "Qingshan-2026-ok", "password2": "Qingshan-2026-ok"})
    assert add.status_code == 302
    assert not User.objects.get(username="xinren").is_superuser


def test_a_staff_member_with_raw_rights_cannot_make_itself_superuser(people, units, client):
    """The outside probe: a township administrator given is_staff and change_user."""
    township = User.objects.create_user("qs_guanli", password="x", unit=units["qingshan"], is_staff=True)
    township.groups.add(group(Role.REGISTRAR))
    township.user_permissions.add(*Permission.objects.filter(codename__in=["change_user", "view_user"]))
    client.force_login(township)
    township.refresh_from_db()
    response = change(client, township, is_superuser="on", groups=[group(Role.ADMIN).pk, group(Role.AUDITOR).pk])
    assert response.status_code == 302
    township, roles = fresh(township)
    assert not township.is_superuser and roles == {"registrar"}
    # and gives others only the roles it holds itself
    qs = people["qs_fuzeren"]
    refused = change(client, qs, groups=[g.pk for g in qs.groups.all()] + [group(Role.LEADER).pk])
    assert refused.status_code == 403  # qs_fuzeren holds 单位负责人, which it could not give
    assert fresh(qs)[1] == {"head", "registrar", "handler"}


# --- scope ----------------------------------------------------------------------------------


def test_a_user_outside_the_scope_is_not_found(people, guanli):
    city = people["city_fuzeren"]
    page = guanli.get(reverse("admin:org_user_change", args=[city.pk]))
    assert page.status_code == 302  # "no such object" back to the admin's index
    response = change(guanli, city, groups=[group(Role.HANDLER).pk])
    assert response.status_code == 302
    assert fresh(city)[1] == {"head", "registrar"}


def test_a_user_cannot_be_moved_out_of_the_scope(people, units, guanli):
    dengji = people["dengji"]
    response = change(guanli, dengji, unit=units["city_office"].pk)
    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert fresh(dengji)[0].unit == units["bureau"]


def test_an_account_with_more_rights_is_read_only(people, units, guanli):
    other = User.objects.create_user("guanli2", password="x", unit=units["chengguan"])
    other.groups.add(group(Role.ADMIN))
    boss = User.objects.create_superuser("root", password="x", email="", unit=units["bureau"])
    for target in (other, boss):
        response = change(guanli, target, groups=[group(Role.HANDLER).pk], is_active="")
        assert response.status_code == 403
        password = guanli.post(reverse("admin:auth_user_password_change", args=[target.pk]),
                               {"password1": "Takeover-2026-x", "password2": "Takeover-2026-x"})
        assert password.status_code == 403
    assert fresh(other)[0].is_active and fresh(other)[1] == {"admin"}
    assert fresh(boss)[0].check_password("x")


def test_the_admin_adds_units_only_inside_its_scope(units, guanli):
    url = reverse("admin:org_unit_add")
    base = {"name": "青山乡新村", "code": "341122200299", "level": "village", "kind": "community", "sort_order": 0, "is_active": "on"}
    assert guanli.post(url, dict(base, parent=units["qingshan"].pk)).status_code == 302
    refused = guanli.post(url, dict(base, code="341100999", parent=units["city"].pk))
    assert refused.status_code == 200 and "errornote" in refused.content.decode()
    assert not Unit.objects.filter(code="341100999").exists()
    listing = guanli.get(reverse("admin:org_unit_changelist")).content.decode()
    assert "青山乡新村" in listing and "江州市信访局" not in listing


def test_actions_skip_accounts_with_more_rights(people, units, guanli):
    boss = User.objects.create_superuser("root", password="x", email="", unit=units["bureau"])
    guanli.post(reverse("admin:org_user_changelist"),
                {"action": "logout_everywhere", "_selected_action": [boss.pk, people["dengji"].pk]})
    assert fresh(boss)[0].session_epoch == 0
    assert fresh(people["dengji"])[0].session_epoch == 1


def test_the_admin_cannot_widen_its_scope_through_its_own_units(people, units, client):
    """A township's administrator making its township a petition office would see the county."""
    township = User.objects.create_user("qs_guanli", password="x", unit=units["qingshan"])
    township.groups.add(group(Role.ADMIN))
    client.force_login(township)
    qingshan = units["qingshan"]
    response = client.post(reverse("admin:org_unit_change", args=[qingshan.pk]), {
        "name": qingshan.name, "code": qingshan.code, "level": qingshan.level, "kind": "petition_office",
        "parent": units["city"].pk, "region_code": qingshan.region_code, "sort_order": 0, "is_active": "on"})
    assert response.status_code == 302
    qingshan.refresh_from_db()
    assert qingshan.kind == "government" and qingshan.parent == units["county"]
    assert "dengji" not in client.get(reverse("admin:org_user_changelist")).content.decode()
