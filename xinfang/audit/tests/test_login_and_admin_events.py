"""Logins, logouts, failed logins and changes made in the admin are recorded without
their code calling record()."""

import pytest
from django.urls import reverse

from xinfang.audit.models import AuditEntry
from xinfang.audit.services import verify_chain
from xinfang.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_login_and_a_logout_are_recorded_with_the_address(client, people):
    client.post(reverse("web:login"), {"username": "dengji", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("web:logout"), REMOTE_ADDR="10.1.2.3")

    login, logout = AuditEntry.objects.filter(action__in=["auth.login", "auth.logout"]).order_by("seq")
    assert (login.action, login.actor, login.ip) == ("auth.login", people["dengji"], "10.1.2.3")
    assert (logout.action, logout.actor) == ("auth.logout", people["dengji"])


def test_a_failed_login_records_the_name_tried_but_never_the_password(client, people):
    client.post(reverse("web:login"), {"username": "dengji", "password": "guess-123456"}, REMOTE_ADDR="10.9.9.9")

    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert (entry.actor, entry.object_id, entry.ip) == (None, "dengji", "10.9.9.9")
    assert "guess-123456" not in str(entry.detail)


def test_a_change_in_the_admin_is_recorded(admin_client, units):
    unit = units["land"]
    response = admin_client.post(reverse("admin:org_unit_change", args=[unit.pk]), {
        "name": "安宁县自然资源和规划局", "short_name": "", "code": unit.code, "parent": unit.parent_id, "level": unit.level,
        "kind": unit.kind, "region_code": unit.region_code, "sort_order": unit.sort_order, "is_active": "on"})
    assert response.status_code == 302

    entry = AuditEntry.objects.get(action="admin.change")
    assert (entry.object_type, entry.object_id, entry.actor.username) == ("org.unit", str(unit.pk), "admin")
    assert "安宁县自然资源和规划局" in entry.detail["repr"]
    assert verify_chain().ok


def test_a_bulk_deletion_in_the_admin_records_every_object(admin_client, db):
    import datetime

    from xinfang.calendar.models import OfficialDay

    days = [OfficialDay.objects.create(date=datetime.date(2027, 10, d), kind="holiday", name="国庆节") for d in (1, 2, 3)]
    response = admin_client.post(reverse("admin:legal_calendar_officialday_changelist"), {
        "action": "delete_selected", "_selected_action": [d.pk for d in days], "post": "yes"})
    assert response.status_code == 302
    assert not OfficialDay.objects.exists()

    deleted = AuditEntry.objects.filter(action="admin.delete")
    assert {e.object_id for e in deleted} == {str(d.pk) for d in days}
    assert {e.object_type for e in deleted} == {"legal_calendar.officialday"}
