"""The demo's bulletin (通报): last month's bulletin on the county, published by the
bureau's supervisor, read by some of the units it names. Made through the services, on
whatever day the demo is loaded (last month always lies wholly in the past), once: a
second load finds it and changes nothing."""

import datetime

from django.urls import reverse
from django.utils import timezone

from xinfang.supervision import bulletins
from xinfang.supervision.models import Bulletin, PeriodKind

NOTE = ("请被通报单位对照所列事项逐件核查，逾期未结事项限期办结并书面报告办理情况；"
        "被退回补办的事项务必查清事实、答复到位，防止再次退回。县信访局将持续跟踪督办。")


def load(*, units, people, now=None):
    """Make (or find) last month's published county bulletin; returns it."""
    now = now or timezone.now()
    first = timezone.localdate(now).replace(day=1)
    start = (first - datetime.timedelta(days=1)).replace(day=1)
    county, supervisor = units["county"], people["ducha"]
    found = Bulletin.objects.filter(root_unit=county, period_kind=PeriodKind.MONTHLY, start=start).first()
    if found is not None:
        return found
    draft = bulletins.generate(actor=supervisor, unit=county, period_kind=PeriodKind.MONTHLY, start=start, note=NOTE, now=now)
    bulletin = bulletins.publish(draft, actor=supervisor, link=reverse("supervision:bulletin", kwargs={"pk": draft.pk}), now=now)
    # Every other unit named has opened it, an hour or so after it was published.
    for i, line in enumerate(bulletins.lines_of(bulletin)):
        reader = next(iter(sorted(bulletins.staff_of([line.unit]), key=lambda u: (u.unit_id != line.unit_id, u.username))), None)
        if i % 2 == 0 and reader is not None:
            bulletins.mark_read(bulletin, reader, now=now + datetime.timedelta(minutes=40 + 7 * i))
    return bulletin
