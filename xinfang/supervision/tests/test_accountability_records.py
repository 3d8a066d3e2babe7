"""Accountability records (责任追究): recorded by supervisors, linked to cases, with their
documents checked as case files are; read only by supervisors, leaders and auditors in
scope, every read in the audit record; edits keep their history."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xinfang.audit.models import AuditEntry
from xinfang.lib.errors import Invalid, NotAllowed, NotFound
from xinfang.supervision import reviews
from xinfang.supervision.models import AccountabilityFile, AccountabilityRecord

from .reviewkit import answered_here  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _data(case, **overrides):
    data = dict(summary="城关镇对该事项答复超期且未告知救济途径", subject_unit="341122100", subject_person="", subject_post="",
                decided_by="中共安宁县委办公室", decided_on=(timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
                basis="《信访工作条例》第四十五条", kind="notice", kind_other="", cases=[case.number])
    data.update(overrides)
    return data


@pytest.fixture
def case(answered_here):
    return answered_here()


def test_a_supervisor_records_a_decision_with_its_document(people, case):
    row = reviews.record_decision(actor=people["ducha"], data=_data(case),
                                  files=[SimpleUploadedFile("通报.pdf", PDF, content_type="application/pdf")])
    assert row.kind_label == "通报批评" and row.subject_label == "城关镇人民政府" and list(row.cases.all()) == [case]
    stored = row.files.get()
    assert stored.original_name == "通报.pdf" and stored.content_type == "application/pdf"
    assert AuditEntry.objects.filter(action="accountability.record", object_id=str(row.pk)).exists()
    assert row in case.accountability_records.all()


def test_an_official_named_by_name_and_post(people, case):
    row = reviews.record_decision(actor=people["ducha"], data=_data(case, subject_unit="", subject_person="张三",
                                                                    subject_post="城关镇副镇长", kind="admonition"))
    assert row.subject_label == "城关镇副镇长张三" and row.subject_unit is None


@pytest.mark.parametrize("overrides, field", [
    ({"summary": ""}, "summary"),
    ({"decided_by": ""}, "decided_by"),
    ({"basis": ""}, "basis"),
    ({"kind": "fine"}, "kind"),
    ({"kind": "other"}, "kind_other"),
    ({"subject_unit": ""}, "subject_person"),
    ({"cases": []}, "cases"),
    ({"decided_on": "2099-01-01"}, "decided_on"),
    ({"decided_on": "昨天"}, "decided_on"),
])
def test_bad_input_is_refused_and_nothing_is_saved(people, case, overrides, field):
    with pytest.raises(Invalid) as refused:
        reviews.record_decision(actor=people["ducha"], data=_data(case, **overrides))
    assert field in refused.value.fields
    assert not AccountabilityRecord.objects.exists()


def test_a_file_of_a_refused_type_refuses_the_record(people, case):
    with pytest.raises(Invalid):
        reviews.record_decision(actor=people["ducha"], data=_data(case),
                                files=[SimpleUploadedFile("a.exe", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")])
    assert not AccountabilityRecord.objects.exists() and not AccountabilityFile.objects.exists()


def test_only_supervisors_record(people, case):
    for who in ("chengban", "fuzeren", "lingdao", "shenji", "cg_fuzeren"):
        with pytest.raises(NotAllowed):
            reviews.record_decision(actor=people[who], data=_data(case))
    assert not AccountabilityRecord.objects.exists()


def test_cases_and_units_outside_scope_are_refused(people, case, units):
    from xinfang.org.choices import Role
    from xinfang.org.sample import make_user

    qs_ducha = make_user("qs_ducha", units["qingshan"], [Role.SUPERVISOR], password="x")
    with pytest.raises(NotFound):
        reviews.record_decision(actor=qs_ducha, data=_data(case, subject_unit="341122200"))
    with pytest.raises(NotAllowed):
        reviews.record_decision(actor=people["ducha"], data=_data(case, subject_unit="341100"))
    assert not AccountabilityRecord.objects.exists()


def test_reading_is_for_supervisors_leaders_and_auditors_in_scope_and_logged(people, case, units):
    from xinfang.org.choices import Role
    from xinfang.org.sample import make_user

    row = reviews.record_decision(actor=people["ducha"], data=_data(case))
    for who in ("ducha", "lingdao", "shenji"):
        assert reviews.read_record(people[who], row.pk, ip="10.0.0.9") == row
        entry = AuditEntry.objects.filter(action="accountability.read", actor=people[who]).get()
        assert entry.object_id == str(row.pk) and entry.ip == "10.0.0.9"
    for who in ("chengban", "fuzeren", "cg_fuzeren"):
        with pytest.raises(NotAllowed):
            reviews.read_record(people[who], row.pk)
    qs_ducha = make_user("qs_ducha", units["qingshan"], [Role.SUPERVISOR], password="x")
    with pytest.raises(NotFound):
        reviews.read_record(qs_ducha, row.pk)
    assert AuditEntry.objects.filter(action="accountability.read").count() == 3


def test_an_edit_keeps_the_old_values_in_the_audit_record(people, case, answered_here):
    row = reviews.record_decision(actor=people["ducha"], data=_data(case))
    other = answered_here()
    reviews.edit_decision(row, actor=people["ducha"], data=_data(case, kind="criticism", cases=[case.number, other.number]))
    row.refresh_from_db()
    assert row.kind == "criticism" and row.cases.count() == 2
    entry = AuditEntry.objects.get(action="accountability.edit")
    assert entry.detail["changes"]["kind"] == ["notice", "criticism"]
    assert entry.detail["changes"]["cases"] == [[case.number], sorted([case.number, other.number])]
    assert [e.action for e in reviews.history(row)] == ["accountability.record", "accountability.edit"]
    with pytest.raises(NotAllowed):
        reviews.edit_decision(row, actor=people["lingdao"], data=_data(case, kind="discipline"))
    row.refresh_from_db()
    assert row.kind == "criticism"


def test_the_case_page_entries_follow_the_same_rule(people, case):
    row = reviews.record_decision(actor=people["ducha"], data=_data(case))
    assert reviews.entries_for_case(people["lingdao"], case)["records"] == [row]
    assert reviews.entries_for_case(people["fuzeren"], case)["records"] == []


def test_the_history_reads_as_labels_and_values(people, case):
    row = reviews.record_decision(actor=people["ducha"], data=_data(case))
    reviews.edit_decision(row, actor=people["ducha"], data=_data(case, kind="criticism", subject_post="镇长", subject_person="李四"))
    edit = reviews.history(row)[-1]
    assert ("处理方式", "通报批评", "批评教育") in edit.changes and ("被追责人员", "（空）", "李四") in edit.changes


def test_listing_the_register_is_logged_with_the_records_shown(people, case):
    row = reviews.record_decision(actor=people["ducha"], data=_data(case))
    assert reviews.register_rows(people["shenji"], kind="notice") == [row]
    assert reviews.register_rows(people["shenji"], kind="admonition") == []
    assert reviews.register_rows(people["shenji"], q=case.number) == [row]
    listed = AuditEntry.objects.filter(action="accountability.list", actor=people["shenji"]).order_by("seq")
    assert [e.detail["ids"] for e in listed] == [[row.pk], [], [row.pk]]
    with pytest.raises(NotAllowed):
        reviews.register_rows(people["fuzeren"])
