"""Opening a supervision item (督办立项): what the supervised unit, the case and the
督办单 show, and every refusal, after which nothing has changed."""

import datetime
import io

import pytest
from docx import Document as Docx

from xinfang.cases.models import Case, CaseEvent, Obligation
from xinfang.documents.models import Document
from xinfang.lib.errors import Conflict, Invalid, NotAllowed, NotFound
from xinfang.notify.models import Notification
from xinfang.supervision import items

from .conftest import DAY

pytestmark = pytest.mark.usefixtures("on_day")


def _docx_text(document):
    from xinfang.documents.services import current_version

    version = current_version(document)
    with version.file.open("rb") as f:
        return "\n".join(p.text for p in Docx(io.BytesIO(f.read())).paragraphs)


def test_a_supervisor_opens_an_item_and_the_unit_hears_of_it(people, units, assigned_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row, warnings = items.open_item(case=assigned_case.number, actor=people["ducha"], level="listed", unit="341122100",
                                        requirement="十日内核实补偿款发放情况并报告", due_date="2026-03-12", responsible="cg_chengban",
                                        reason="群众反映强烈")
    assert warnings == []
    assert (row.kind, row.level, row.owner_unit, row.creditor_unit, row.opened_by) == (
        "supervision", "listed", units["chengguan"], units["bureau"], people["ducha"])
    assert row.due_date == datetime.date(2026, 3, 12) and row.responsible == people["cg_chengban"]
    assert Case.objects.get(pk=assigned_case.pk).supervision_level == "listed"
    event = CaseEvent.objects.get(case=assigned_case, action="supervise")
    assert "挂牌督办" in event.note and "城关镇人民政府" in event.note and event.data["obligation"] == row.pk
    told = Notification.objects.filter(link=f"/supervision/obligations/{row.pk}/")
    assert {n.recipient.username for n in told} == {"cg_chengban", "cg_fuzeren"}
    assert "挂牌督办" in told.first().title


def test_the_form_is_issued_numbered_and_says_what_is_required(people, assigned_case, settings, tmp_path):
    row, _ = items.open_item(case=assigned_case, actor=people["ducha"], level="key", unit="341122100",
                             requirement="十日内核实补偿款发放情况并报告", due_date="2026-03-12", responsible="cg_chengban")
    form = items.form_of(row)
    assert form.kind == "supervise_form" and form.number and form.to_unit.code == "341122100"
    assert Document.objects.filter(subject_id=assigned_case.pk, kind="supervise_form").count() == 1
    text = _docx_text(form)
    for phrase in (assigned_case.number, "重点督办", "城关镇人民政府：", "十日内核实补偿款发放情况并报告", "二〇二六年三月十二日前",
                   "责任人：郑承办", form.number, "信访事项督办单"):
        assert phrase in text, phrase
    assert "{{" not in text


def test_a_due_date_after_the_legal_deadline_is_allowed_with_a_warning(people, assigned_case):
    later = assigned_case.due_date + datetime.timedelta(days=5)
    row, warnings = items.open_item(case=assigned_case, actor=people["ducha"], level="general", unit="341122100",
                                    requirement="报告", due_date=later)
    assert row.due_date == later
    assert len(warnings) == 1 and "晚于该事项当前的法定期限" in warnings[0]


def _nothing_changed(case):
    assert not Obligation.objects.filter(kind="supervision").exists()
    assert not CaseEvent.objects.filter(case=case, action="supervise").exists()
    assert not Document.objects.filter(kind="supervise_form").exists()
    assert Case.objects.get(pk=case.pk).supervision_level == ""


def _open(people, case, who="ducha", **overrides):
    values = dict(level="key", unit="341122100", requirement="报告办理情况", due_date=DAY + datetime.timedelta(days=7))
    values.update(overrides)
    return items.open_item(case=case, actor=people[who], **values)


def test_a_handler_may_not_supervise(people, assigned_case):
    with pytest.raises(NotAllowed):
        _open(people, assigned_case, who="chengban")
    _nothing_changed(assigned_case)


def test_a_case_outside_the_scope_is_not_found(people, register_case):
    case = register_case()
    with pytest.raises(NotFound):
        _open(people, case, who="qs_fuzeren", unit="341122200")
    _nothing_changed(case)


def test_a_unit_outside_the_scope_is_refused(people, assigned_case):
    with pytest.raises(Invalid) as refused:
        _open(people, assigned_case, unit="341100")  # the city government, above the county
    assert refused.value.code == "unit_out_of_scope"
    with pytest.raises(Invalid):
        _open(people, assigned_case, unit="NO-SUCH-UNIT")
    _nothing_changed(assigned_case)


def test_a_due_date_in_the_past_is_refused(people, assigned_case):
    with pytest.raises(Invalid) as refused:
        _open(people, assigned_case, due_date="2026-03-01")
    assert refused.value.code == "due_in_past"
    _nothing_changed(assigned_case)


def test_an_unknown_level_or_a_missing_requirement_is_refused(people, assigned_case):
    with pytest.raises(Invalid) as refused:
        _open(people, assigned_case, level="urgent")
    assert "level" in refused.value.fields
    with pytest.raises(Invalid) as refused:
        _open(people, assigned_case, requirement="  ")
    assert "requirement" in refused.value.fields
    _nothing_changed(assigned_case)


def test_the_accused_unit_is_never_supervised_on_the_accusation(people, register_case):
    case = register_case(kind="accusation", accused_unit="341122100", accused_post="镇长")
    with pytest.raises(Invalid) as refused:
        _open(people, case, unit="341122100")
    assert refused.value.code == "accused_unit"
    with pytest.raises(Invalid):
        _open(people, case, unit="341122100001")  # a community under the accused township
    _nothing_changed(case)


def test_a_second_open_item_for_the_same_unit_is_refused_naming_the_first(people, item, assigned_case):
    with pytest.raises(Conflict) as refused:
        _open(people, assigned_case, who="fuzeren", level="listed")
    assert f"#{item.pk}" in str(refused.value.message) and "重点督办" in str(refused.value.message)
    assert Obligation.objects.filter(kind="supervision").count() == 1
    assert CaseEvent.objects.filter(case=assigned_case, action="supervise").count() == 1
    # Another unit on the same case is a separate item.
    other, _ = _open(people, assigned_case, unit="341122-ZJJ")
    assert other.owner_unit.code == "341122-ZJJ"
