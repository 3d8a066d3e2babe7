"""The application cannot edit or delete audit entries, one at a time or in bulk, nor
slip rows in around record()."""

import pytest

from xinfang.audit.models import AuditEntry
from xinfang.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(people):
    return record(actor=people["dengji"], action="case.accept", obj=people["dengji"])


def test_saving_an_entry_again_is_refused(entry):
    entry.action = "case.decline"
    with pytest.raises(PermissionError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).action == "case.accept"


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("change", [
    lambda qs: qs.update(action="x"),
    lambda qs: qs.delete(),
    lambda qs: qs.bulk_update(list(qs), ["action"]),
    lambda qs: qs.update_or_create(pk=1, defaults={"action": "x"}),
])
def test_bulk_changes_through_the_orm_are_refused(entry, change):
    with pytest.raises(PermissionError):
        change(AuditEntry.objects.all())
    assert AuditEntry.objects.get(pk=entry.pk).action == "case.accept"


def test_rows_cannot_be_added_around_record(db):
    with pytest.raises(PermissionError):
        AuditEntry.objects.bulk_create([AuditEntry(seq=1, action="x", object_type="y", object_id="1", hash="0" * 64)])
    with pytest.raises(PermissionError):
        AuditEntry.objects.create(seq=1, action="x", object_type="y", object_id="1")
    assert not AuditEntry.objects.exists()


def test_the_admin_offers_no_add_change_or_delete(admin_client, entry):
    assert admin_client.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    page = admin_client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert admin_client.get("/admin/audit/auditentry/add/").status_code == 403
