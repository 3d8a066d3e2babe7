"""The one follow-through mechanism (cases/obligations.py): open, report, accept, send
back, cancel, escalate; who may do each, and every refusal leaves the row as it was."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from xinfang.cases import obligations
from xinfang.cases.choices import EntryKind, ObligationKind, ObligationStatus, SupervisionLevel
from xinfang.cases.models import Obligation
from xinfang.lib.errors import Invalid, NotAllowed, WrongState

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 10, 10, 0, tzinfo=datetime.timezone.utc)  # a Tuesday


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def item(clock, people, units, register_case):
    case = register_case()
    return obligations.open_obligation(kind=ObligationKind.SUPERVISION, case=case, owner_unit=units["chengguan"], creditor_unit=units["bureau"],
                                       due_date="2026-11-20", title="督办：征地补偿款", requirement="十日内报告办理结果", level="general",
                                       actor=people["ducha"], responsible=people["cg_chengban"])


def row(obligation):
    return Obligation.objects.values().get(pk=obligation.pk)


def test_an_item_opens_with_its_record_and_the_case_shows_its_level(item):
    assert item.status == ObligationStatus.OPEN and item.due_date == datetime.date(2026, 11, 20)
    assert list(item.entries.values_list("kind", flat=True)) == [EntryKind.OPENED]
    item.case.refresh_from_db()
    assert item.case.supervision_level == SupervisionLevel.GENERAL


@pytest.mark.parametrize("changes, field", [
    ({"due_date": "2026-11-09"}, "due_date"),
    ({"due_date": "11/20/2026"}, "due_date"),
    ({"due_date": ""}, "due_date"),
    ({"title": ""}, "title"),
    ({"title": "长" * 201}, "title"),
    ({"level": "urgent"}, "level"),
    ({"kind": "favour"}, "kind"),
])
def test_opening_refuses_a_past_or_malformed_date_an_empty_title_and_unknown_choices(clock, people, units, changes, field):
    params = dict(kind=ObligationKind.SUPERVISION, owner_unit=units["chengguan"], creditor_unit=units["bureau"], due_date="2026-11-20",
                  title="督办", actor=people["ducha"])
    params.update(changes)
    with pytest.raises(Invalid) as error:
        obligations.open_obligation(**params)
    assert field in error.value.fields
    assert not Obligation.objects.exists()


def test_the_responsible_person_belongs_to_the_owner_unit(clock, people, units):
    with pytest.raises(Invalid) as error:
        obligations.open_obligation(kind=ObligationKind.SUPERVISION, owner_unit=units["chengguan"], creditor_unit=units["bureau"],
                                    due_date="2026-11-20", title="督办", actor=people["ducha"], responsible=people["zj_fuzeren"])
    assert "responsible" in error.value.fields and not Obligation.objects.exists()


def test_a_due_date_after_the_legal_deadline_is_refused_when_one_is_given(clock, people, units):
    with pytest.raises(Invalid) as error:
        obligations.open_obligation(kind=ObligationKind.SUPERVISION, owner_unit=units["chengguan"], creditor_unit=units["bureau"],
                                    due_date="2026-11-21", title="督办", actor=people["ducha"], latest=datetime.date(2026, 11, 20))
    assert error.value.code == "due_after_legal"


def test_the_owner_reports_progress_then_its_result_and_the_creditor_accepts(item, people):
    obligations.report(item, actor=people["cg_chengban"], text="已约谈村委会")
    assert row(item)["status"] == ObligationStatus.OPEN  # progress changes nothing but the record
    obligations.report(item, actor=people["cg_fuzeren"], text="补偿款已发放", final=True)
    assert row(item)["status"] == ObligationStatus.REPORTED and row(item)["reported_on_time"] is True
    obligations.accept(item, actor=people["ducha"], note="同意办结")
    done = row(item)
    assert done["status"] == ObligationStatus.ACCEPTED and done["closed_by_id"] == people["ducha"].pk
    assert list(item.entries.values_list("kind", flat=True)) == [EntryKind.OPENED, EntryKind.PROGRESS, EntryKind.RESULT, EntryKind.ACCEPTED]
    item.case.refresh_from_db()
    assert item.case.supervision_level == ""  # nothing open any more


@pytest.mark.parametrize("who, code", [("zj_fuzeren", "not_owner"), ("fuzeren", "not_owner"), ("ducha", "not_owner")])
def test_a_unit_that_owes_nothing_cannot_report(item, people, who, code):
    before = row(item)
    with pytest.raises(NotAllowed) as error:
        obligations.report(item, actor=people[who], text="报告")
    assert error.value.code == code
    assert row(item) == before and item.entries.count() == 1


def test_a_report_needs_its_text_and_the_right_role(item, people):
    with pytest.raises(Invalid):
        obligations.report(item, actor=people["cg_fuzeren"], text="  ")
    people["cg_fuzeren"].groups.clear()
    from xinfang.org.models import ROLE_CACHE
    ROLE_CACHE.clear()
    with pytest.raises(NotAllowed):
        obligations.report(item, actor=people["cg_fuzeren"], text="报告")
    assert item.entries.count() == 1


def test_no_second_result_while_one_waits_and_no_decision_before_a_result(item, people):
    with pytest.raises(WrongState) as error:
        obligations.accept(item, actor=people["ducha"])
    assert error.value.code == "not_reported"
    with pytest.raises(WrongState):
        obligations.send_back(item, actor=people["ducha"], reason="不够", due_date="2026-11-25")
    obligations.report(item, actor=people["cg_fuzeren"], text="已办结", final=True)
    with pytest.raises(WrongState) as error:
        obligations.report(item, actor=people["cg_fuzeren"], text="再报", final=True)
    assert error.value.code == "not_open"


@pytest.mark.parametrize("who", ["cg_fuzeren", "dengji", "chengban"])
def test_only_the_creditors_heads_supervisors_and_leaders_decide(item, people, who):
    obligations.report(item, actor=people["cg_fuzeren"], text="已办结", final=True)
    before = row(item)
    with pytest.raises(NotAllowed):
        obligations.accept(item, actor=people[who])
    with pytest.raises(NotAllowed):
        obligations.send_back(item, actor=people[who], reason="不够", due_date="2026-11-25")
    assert row(item) == before


def test_sending_back_reopens_it_to_a_new_date_and_counts(item, people):
    obligations.report(item, actor=people["cg_fuzeren"], text="已办结", final=True)
    for bad, field in (("2026-11-09", "due_date"), ("", "due_date")):
        with pytest.raises(Invalid) as error:
            obligations.send_back(item, actor=people["ducha"], reason="未见凭证", due_date=bad)
        assert field in error.value.fields
    with pytest.raises(Invalid):
        obligations.send_back(item, actor=people["ducha"], reason="", due_date="2026-11-25")
    with pytest.raises(Invalid) as error:
        obligations.send_back(item, actor=people["ducha"], reason="未见凭证", due_date="2026-12-30", latest=datetime.date(2026, 12, 1))
    assert error.value.code == "due_after_legal"
    assert row(item)["status"] == ObligationStatus.REPORTED
    obligations.send_back(item, actor=people["ducha"], reason="未见发放凭证", due_date="2026-11-25")
    back = row(item)
    assert back["status"] == ObligationStatus.OPEN and back["due_date"] == datetime.date(2026, 11, 25) and back["sent_back_count"] == 1
    entry = item.entries.get(kind=EntryKind.SENT_BACK)
    assert entry.text == "未见发放凭证" and entry.data == {"from": "2026-11-20"}


def test_a_late_result_is_recorded_late_and_only_open_ones_are_overdue(item, people):
    with time_machine.travel(NOW + datetime.timedelta(days=15), tick=False):
        today = timezone.localdate()
        assert list(obligations.overdue(Obligation.objects.all(), today)) == [item]
        obligations.report(item, actor=people["cg_fuzeren"], text="已办结", final=True)
        assert row(item)["reported_on_time"] is False
        # A result that waits on the creditor is not the owner's delay.
        assert not obligations.overdue(Obligation.objects.all(), today).exists()


def test_escalation_only_raises_and_the_case_follows(item):
    assert obligations.escalate(item, level=SupervisionLevel.KEY) is True
    assert obligations.escalate(item, level=SupervisionLevel.GENERAL) is False
    assert obligations.escalate(item, level=SupervisionLevel.KEY) is False
    item.case.refresh_from_db()
    assert row(item)["level"] == SupervisionLevel.KEY and item.case.supervision_level == SupervisionLevel.KEY
    assert item.entries.filter(kind=EntryKind.ESCALATED).count() == 1


def test_cancel_needs_a_reason_and_ends_it(item, people):
    with pytest.raises(Invalid):
        obligations.cancel(item, actor=people["ducha"], reason="")
    with pytest.raises(NotAllowed):
        obligations.cancel(item, actor=people["cg_fuzeren"], reason="不用办了")
    obligations.cancel(item, actor=people["ducha"], reason="重复立项")
    assert row(item)["status"] == ObligationStatus.CANCELLED
    with pytest.raises(WrongState):
        obligations.cancel(item, actor=people["ducha"], reason="再撤")


def test_each_sees_what_is_owed_in_their_scope(item, people, units):
    assert list(obligations.visible_to(people["cg_dengji"])) == [item]  # the township's office acts for it
    assert list(obligations.visible_to(people["ducha"])) == [item]
    assert not obligations.visible_to(people["zj_fuzeren"]).exists()
    assert list(obligations.owed_by(units["chengguan"])) == [item]
    assert list(obligations.owed_by(units["chengguan_office"])) == [item]
    assert not obligations.owed_by(units["housing"]).exists()
