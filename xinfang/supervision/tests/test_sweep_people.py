"""Who hears of a reminder, how, and what a 逾期通报 raises: the owner unit's heads and
handlers and the responsible person in the notification centre, email only for those who
chose it and have an address, held across a holiday by the quiet hours; the supervising
unit told and the level raised once."""

import datetime

import pytest
import time_machine
from django.core import mail

from xinfang.cases.choices import EntryKind
from xinfang.cases.models import Case, Obligation
from xinfang.notify import services as notify
from xinfang.notify.kinds import Status
from xinfang.notify.models import Notification, OutboundMessage
from xinfang.supervision import sweeps
from xinfang.supervision.models import Reminder

from .conftest import TODAY

D = datetime.timedelta


def titles(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("title", flat=True))


@pytest.mark.django_db
def test_the_owner_units_heads_handlers_and_responsible_hear_of_it_and_nobody_else(obligation_due, people):
    obligation_due(TODAY + D(days=1))
    sweeps.run()
    assert titles(people["cg_chengban"]) == ["临期提醒：城关镇人民政府1件"]
    assert titles(people["cg_fuzeren"]) == ["临期提醒：城关镇人民政府1件"]
    # the county bureau (creditor) hears nothing before a 逾期通报; nor does the other township
    assert titles(people["fuzeren"]) == [] and titles(people["qs_fuzeren"]) == []


@pytest.mark.django_db
def test_many_late_matters_of_one_unit_make_one_notification_each(obligation_due, people):
    for days in (1, 2, 3):
        obligation_due(TODAY - D(days=days))
    result = sweeps.run()
    assert result.created["overdue"] == 3
    assert titles(people["cg_chengban"]) == ["逾期催办：城关镇人民政府3件"]
    note = Notification.objects.get(recipient=people["cg_chengban"])
    assert "最长逾期3天" in note.body and note.link.startswith("/supervision/")


@pytest.mark.django_db
def test_email_goes_to_those_who_chose_it_and_have_an_address_only(obligation_due, people):
    people["cg_chengban"].email = "zheng@example.cn"
    people["cg_chengban"].save()
    notify.set_email_kinds(people["cg_chengban"], ["due_soon"])
    # 陈镇长 chose email once, then his address was removed: he is not emailed
    people["cg_fuzeren"].email = "chen@example.cn"
    people["cg_fuzeren"].save()
    notify.set_email_kinds(people["cg_fuzeren"], ["due_soon"])
    people["cg_fuzeren"].email = ""
    people["cg_fuzeren"].save()
    obligation_due(TODAY - D(days=1))
    result = sweeps.run()
    assert result.emails == 1
    message = OutboundMessage.objects.get()
    assert (message.to, message.user, message.kind) == ("zheng@example.cn", people["cg_chengban"], "due_soon")
    assert Notification.objects.filter(recipient=people["cg_fuzeren"]).count() == 1  # in-app still
    notify.deliver_due()
    assert [m.to[0] for m in mail.outbox] == ["zheng@example.cn"] and "逾期催办" in mail.outbox[0].subject
    sweeps.run()
    assert OutboundMessage.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_working_days_are_counted_across_national_day_and_the_email_waits_for_the_first_working_morning(register_case, people):
    people["fuzeren"].email = "zhang@example.cn"
    people["fuzeren"].save()
    notify.set_email_kinds(people["fuzeren"], ["due_soon"])
    with time_machine.travel("2026-09-30 19:00 +0800", tick=False):  # the evening before the holiday
        cases = {}
        for due in ("2026-10-09", "2026-10-10", "2026-10-12"):
            case = register_case()
            Case.objects.filter(pk=case.pk).update(due_date=due)
            cases[due] = case.pk
        result = sweeps.run()
        # Thu 8, Fri 9 and the make-up Saturday 10 October are the three working days after 30 September
        assert result.horizon == "2026-10-10"
        assert set(Reminder.objects.values_list("case_id", flat=True)) == {cases["2026-10-09"], cases["2026-10-10"]}
        notify.deliver_due()
        message = OutboundMessage.objects.get(user=people["fuzeren"])
        assert message.status == Status.HELD and mail.outbox == []
        assert message.next_attempt_at.astimezone(datetime.timezone(D(hours=8))).isoformat() == "2026-10-08T08:30:00+08:00"
    with time_machine.travel("2026-10-05 10:00 +0800", tick=False):  # a Monday of the holiday
        notify.deliver_due()
        assert mail.outbox == []
    with time_machine.travel("2026-10-08 08:31 +0800", tick=False):
        notify.deliver_due()
        assert [m.to[0] for m in mail.outbox] == ["zhang@example.cn"]


@pytest.mark.django_db
def test_escalation_tells_the_supervising_unit_and_raises_the_level_once(obligation_due, people, working_day):
    owed = obligation_due(TODAY - D(days=6), level="general")
    result = sweeps.run()
    owed.refresh_from_db()
    assert (result.created["escalated"], result.escalated, owed.level) == (1, 1, "key")
    assert owed.entries.filter(kind=EntryKind.ESCALATED).count() == 1
    assert owed.case is None
    assert titles(people["fuzeren"]) == ["逾期通报：城关镇人民政府1件"]  # the creditor's head
    assert titles(people["ducha"]) == ["逾期通报：城关镇人民政府1件"]  # and its supervisor
    assert "请督促办理" in Notification.objects.get(recipient=people["ducha"]).body
    assert titles(people["cg_fuzeren"]) == ["逾期通报：城关镇人民政府1件"]
    for _ in range(3):  # later runs, and later days: still one step for this due date
        working_day.shift(D(days=1))
        sweeps.run()
    owed.refresh_from_db()
    assert owed.level == "key" and owed.entries.filter(kind=EntryKind.ESCALATED).count() == 1


@pytest.mark.django_db
def test_a_case_with_no_open_obligation_gets_a_general_supervision_from_its_supervising_unit(case_due, units, people):
    case = case_due(TODAY - D(days=8))
    result = sweeps.run()
    case.refresh_from_db()
    item = Obligation.objects.get(case=case)
    assert (result.opened, item.kind, item.level, item.source) == (1, "supervision", "general", "sweep")
    assert (item.owner_unit, item.creditor_unit, item.status) == (units["bureau"], units["city_office"], "open")
    assert item.due_date == datetime.date(2026, 12, 7) and case.supervision_level == "general"
    assert titles(people["city_fuzeren"]) == ["逾期通报：安宁县信访局1件"]
    # the new item is not reminded again at once, and nothing is opened twice
    again = sweeps.run()
    assert again.total == 0 and Obligation.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_a_case_whose_obligation_has_the_same_date_is_reminded_once(case_due, obligation_due, units):
    case = case_due(TODAY - D(days=2))
    Case.objects.filter(pk=case.pk).update(current_unit=units["chengguan"], current_unit_path=units["chengguan"].path)
    obligation_due(TODAY - D(days=2), case=case)
    result = sweeps.run()
    assert result.total == 1 and Reminder.objects.get().obligation is not None


class DeadGateway:
    def send(self, to, body, *, ref=""):
        raise TimeoutError("短信网关超时 / The SMS gateway timed out.")


@pytest.mark.django_db
def test_a_failing_sms_gateway_does_not_stop_the_sweep(obligation_due, settings, people):
    """The sweep queues no SMS itself; an SMS gateway that times out fails its own
    messages in the outbox (recorded, retried) while the sweep goes on."""
    settings.SMS_BACKEND = f"{__name__}.DeadGateway"
    notify.queue("sms", "13800000001", kind="case_step", body="【信访】您的信访事项已受理。", key="s1")
    obligation_due(TODAY - D(days=1))
    sweep = notify.deliver_due()
    result = sweeps.run()
    message = OutboundMessage.objects.get(key="s1")
    assert (sweep.failed, message.status, message.attempts) == (1, Status.FAILED, 1) and "超时" in message.last_error
    assert result.created["overdue"] == 1 and Notification.objects.filter(recipient=people["cg_chengban"]).count() == 1
    assert not OutboundMessage.objects.filter(channel="sms").exclude(key="s1").exists()
