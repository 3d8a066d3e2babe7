"""Generating, regenerating, publishing, reading and deleting bulletins, with every
refusal leaving nothing changed."""

import datetime

import pytest
from django.utils import timezone

from xinfang.cases import obligations
from xinfang.lib.errors import Invalid, NotAllowed, NotFound, WrongState
from xinfang.notify.models import Notification
from xinfang.supervision import bulletins
from xinfang.supervision.models import Bulletin, BulletinReceipt, BulletinStatus

from .bulletin_world import world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _draft(people, units, world, who="ducha", unit="county"):
    return bulletins.generate(actor=people[who], unit=units[unit], period_kind="custom", start=world["start"], end=world["end"],
                              note="请各单位对照检查，限期整改。")


@pytest.mark.parametrize("who, unit, fields, code", [
    ("ducha", "county", {"period_kind": "custom", "start": "2026-03-10", "end": "2026-03-01"}, "end_before_start"),
    ("ducha", "county", {"period_kind": "custom", "start": "2026-03-10", "end": "2099-01-01"}, "period_in_future"),
    ("ducha", "county", {"period_kind": "monthly", "start": "2099-01-01"}, "period_in_future"),
    ("ducha", "county", {"period_kind": "yearly", "start": "2026-01-01"}, "invalid"),
    ("ducha", "county", {"period_kind": "custom", "start": "2026-13-01", "end": "2026-03-01"}, "invalid"),
    ("ducha", "county", {"period_kind": "custom", "start": "", "end": "2026-03-01"}, "missing_fields"),
    ("ducha", "city", {"period_kind": "monthly", "start": "2026-03-01"}, "out_of_scope"),
    ("qs_fuzeren", "county", {"period_kind": "monthly", "start": "2026-03-01"}, "out_of_scope"),
    ("dengji", "county", {"period_kind": "monthly", "start": "2026-03-01"}, "forbidden"),
    ("cg_chengban", "chengguan", {"period_kind": "monthly", "start": "2026-03-01"}, "forbidden"),
])
def test_generating_is_refused_with_a_reason_and_nothing_made(people, units, who, unit, fields, code):
    with pytest.raises((Invalid, NotAllowed)) as refused:
        bulletins.generate(actor=people[who], unit=units[unit], **fields)
    assert refused.value.code == code
    assert "/" in refused.value.message  # Chinese / English
    assert not Bulletin.objects.exists()


def test_a_week_runs_monday_to_sunday_and_a_month_first_to_last(people, units):
    week = bulletins.generate(actor=people["ducha"], unit=units["county"], period_kind="weekly", start="2026-11-11")
    assert (week.start, week.end) == (datetime.date(2026, 11, 9), datetime.date(2026, 11, 15))
    month = bulletins.generate(actor=people["lingdao"], unit=units["county"], period_kind="monthly", start="2026-02-14")
    assert (month.start, month.end) == (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert month.title == "关于安宁县人民政府2026年2月信访事项逾期未结、退回补办和催办情况的通报"
    assert month.status == BulletinStatus.DRAFT and month.number == ""


def test_a_township_head_bulletins_the_township(people, units, world):
    bulletin = _draft(people, units, world, who="qs_fuzeren", unit="qingshan")
    assert [line.unit_id for line in bulletin.lines.all()] == [units["qingshan"].pk]


def test_regenerating_a_draft_counts_again(people, units, world):
    bulletin = _draft(people, units, world)
    assert bulletin.overdue_total == 2
    obligations.report(world["item"], actor=people["qs_fuzeren"], text="已处理完毕", final=True)
    bulletin = bulletins.regenerate(bulletin, actor=people["ducha"], note="新的意见")
    assert bulletin.overdue_total == 1 and bulletin.note == "新的意见"
    assert bulletin.lines.get(unit=units["qingshan"]).overdue == 0


def test_publishing_numbers_it_makes_receipts_and_tells_the_units_named(people, units, world):
    bulletin = _draft(people, units, world)
    bulletin = bulletins.publish(bulletin, actor=people["ducha"], link=f"/supervision/bulletins/{bulletin.pk}/")
    assert bulletin.status == BulletinStatus.PUBLISHED and bulletin.published_by == people["ducha"]
    assert bulletin.number.startswith("安宁县信访局信通报〔") and bulletin.number.endswith("1号")
    receipts = BulletinReceipt.objects.filter(bulletin=bulletin)
    assert {r.unit_id for r in receipts} == {units["bureau"].pk, units["qingshan"].pk, units["hekou"].pk}
    assert not receipts.filter(read_at__isnull=False).exists()
    told = Notification.objects.filter(key__startswith=f"bulletin:{bulletin.pk}:")
    names = set(told.values_list("recipient__username", flat=True))
    assert "qs_fuzeren" in names and "ducha" in names and "fuzeren" in names  # 青山乡 and the bureau's staff
    assert "cg_fuzeren" not in names and "zj_fuzeren" not in names  # not named
    note = told.get(recipient=people["qs_fuzeren"])
    assert note.link == f"/supervision/bulletins/{bulletin.pk}/" and "逾期未结1，催办2" in note.body


def test_a_published_bulletin_is_frozen_as_cases_move_on(people, units, world):
    bulletin = bulletins.publish(_draft(people, units, world), actor=people["ducha"])
    before = [(line.unit_id, line.overdue, line.sent_back, line.reminded, line.items) for line in bulletin.lines.all()]
    obligations.report(world["item"], actor=people["qs_fuzeren"], text="已处理完毕", final=True)
    obligations.accept(world["item"], actor=people["ducha"])
    for refused in (lambda: bulletins.regenerate(bulletin, actor=people["ducha"]),
                    lambda: bulletins.publish(bulletin, actor=people["ducha"]),
                    lambda: bulletins.edit(bulletin, actor=people["ducha"], note="改"),
                    lambda: bulletins.delete(bulletin, actor=people["ducha"])):
        with pytest.raises(WrongState):
            refused()
    bulletin.refresh_from_db()
    after = [(line.unit_id, line.overdue, line.sent_back, line.reminded, line.items) for line in bulletin.lines.all()]
    assert after == before and bulletin.note == "请各单位对照检查，限期整改。"
    assert BulletinReceipt.objects.filter(bulletin=bulletin).count() == 3


def test_the_first_reader_of_a_named_unit_marks_its_receipt_once(people, units, world, django_user_model):
    bulletin = bulletins.publish(_draft(people, units, world), actor=people["ducha"])
    seen = bulletins.get_for(people["qs_fuzeren"], bulletin.pk)
    assert bulletins.mark_read(seen, people["qs_fuzeren"]) == 1
    receipt = BulletinReceipt.objects.get(bulletin=bulletin, unit=units["qingshan"])
    first = receipt.read_at
    assert receipt.read_by == people["qs_fuzeren"] and first is not None
    from xinfang.org.sample import make_user

    other = make_user("qs_other", units["qingshan"], ["handler"], password="x-Pass-2026-x")
    assert bulletins.mark_read(bulletins.get_for(other, bulletin.pk), other, now=timezone.now() + DAY) == 0
    receipt.refresh_from_db()
    assert (receipt.read_by, receipt.read_at) == (people["qs_fuzeren"], first)
    # The supervisor opening it reads nobody's receipt but the bureau's own (it is named).
    assert BulletinReceipt.objects.filter(bulletin=bulletin, read_at__isnull=False).count() == 1


def test_who_sees_which_bulletin(people, units, world):
    draft = _draft(people, units, world)
    for outsider in ("qs_fuzeren", "cg_fuzeren", "dengji"):
        with pytest.raises(NotFound):
            bulletins.get_for(people[outsider], draft.pk)  # a draft: only the supervisors of the scope
    assert bulletins.get_for(people["lingdao"], draft.pk) == draft
    assert bulletins.get_for(people["city_fuzeren"], draft.pk) == draft  # the city's head: the county is in its scope
    bulletins.publish(draft, actor=people["ducha"])
    assert bulletins.get_for(people["qs_fuzeren"], draft.pk) == draft  # named
    assert bulletins.get_for(people["dengji"], draft.pk) == draft  # the bureau is named
    for outsider in ("cg_fuzeren", "zj_fuzeren"):
        with pytest.raises(NotFound):
            bulletins.get_for(people[outsider], draft.pk)
    with pytest.raises(NotFound):
        bulletins.get_for(people["qs_fuzeren"], "x")


def test_only_the_scopes_supervisors_manage_a_bulletin(people, units, world):
    draft = _draft(people, units, world)
    for who in ("qs_fuzeren", "dengji", "cg_chengban"):
        for refused in (lambda: bulletins.publish(draft, actor=people[who]), lambda: bulletins.delete(draft, actor=people[who]),
                        lambda: bulletins.regenerate(draft, actor=people[who])):
            with pytest.raises(NotAllowed):
                refused()
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.DRAFT and not BulletinReceipt.objects.exists() and not Notification.objects.exists()


def test_a_draft_can_be_deleted(people, units, world):
    draft = _draft(people, units, world)
    bulletins.delete(draft, actor=people["fuzeren"])
    assert not Bulletin.objects.exists()


def test_the_list_puts_a_named_units_unread_bulletins_first(people, units, world):
    first = bulletins.publish(_draft(people, units, world), actor=people["ducha"])
    second = bulletins.publish(_draft(people, units, world), actor=people["ducha"])
    bulletins.mark_read(second, people["qs_fuzeren"])
    listed = bulletins.list_for(people["qs_fuzeren"])
    assert [b.pk for b in listed] == [first.pk, second.pk]
    assert listed[0].unread_mine and not listed[1].unread_mine
    supervisor = {b.pk: b for b in bulletins.list_for(people["ducha"])}
    assert (supervisor[second.pk].read_count, supervisor[second.pk].receipt_count) == (1, 3)
    assert bulletins.list_for(people["cg_fuzeren"]) == []
