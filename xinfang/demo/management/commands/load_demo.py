"""Load the demo: the sample county, its staff, and a few hundred cases with five months
of history, made through the real services at the moments they happened."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from xinfang.cases.choices import OPEN_STATUSES, Status
from xinfang.cases.models import Case, CaseEvent
from xinfang.documents.services import deferred_rendering
from xinfang.intake.models import Petition
from xinfang.org.choices import Role
from xinfang.org.models import User

from ... import supervision_bulletins, supervision_campaigns, supervision_items, supervision_sweeps
from ...people import DEMO_PASSWORD, EXTRA_PEOPLE, build
from ...story import Planner, Replayer
from ...supervision_reviews import load as load_reviews


class Command(BaseCommand):
    help = (
        "载入演示数据：江州市/安宁县示例单位、工作人员（统一演示密码）和近五个月的信访事项，全部经由登记和办理服务生成。"
        "数据库中已有信访事项时不做任何改动。 / Load the demo county, its staff and CASES cases with five months of "
        "history, replayed through the real services. Does nothing when the database already holds cases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=300, help="how many cases (default 300)")
        parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")

    def handle(self, *args, cases, seed, **options):
        if cases < 0:
            raise CommandError("--cases must be 0 or more")
        started = time.monotonic()
        existing = Case.objects.count()
        if existing:
            build()  # units and people are found, not changed
            self.print_people()
            self.stdout.write(self.style.WARNING(
                f"数据库中已有 {existing} 件信访事项，演示数据未重复载入，未做任何改动。 / "
                f"The database already holds {existing} cases: demo data not loaded again, nothing changed."))
            return
        now = timezone.now()
        # The documents each step issues are numbered and recorded as the cases are
        # played; their Word files are filled when first downloaded (a few seconds of
        # filling per hundred documents saved here).
        with transaction.atomic(), deferred_rendering():
            units, people = build()
            stories = Planner(units=units, seed=seed, now=now).plan(cases)
            replayer = Replayer(units=units, people=people)
            try:
                replayer.run(stories)
            except RuntimeError as exc:
                raise CommandError(str(exc)) from exc
            supervised = supervision_items.load(people=people, now=now)  # 督办件 on some open cases
            supervision_campaigns.load(units, people)  # a running 积案化解 campaign, some cleared, one come back
            supervision_bulletins.load(units=units, people=people, now=now)  # last month's 通报, published, partly read
            load_reviews(people)  # last month's 案件评查 round and an accountability record
        supervision_sweeps.run(self.stdout)  # reminders and 逾期通报 (xinfang/demo/supervision_sweeps.py)
        self.print_people()
        self.stdout.write(f"督办件 / Supervision items: {supervised}（督查督办台 /supervision/desk/：{supervision_items.SUPERVISOR}；"
                          f"乡镇、部门的督办待办 /supervision/owed/）")
        self.print_summary(time.monotonic() - started, replayer.calls)

    def print_people(self):
        demo = {u for u, *_ in EXTRA_PEOPLE}
        rows = [("username", "姓名", "单位", "角色", "密码")]
        for user in User.objects.select_related("unit").prefetch_related("groups").order_by("unit__path", "username"):
            roles = "、".join(user.role_labels)
            rows.append((user.username, user.display_name, user.unit.name if user.unit else "", roles,
                         DEMO_PASSWORD + (" *" if user.username in demo else "")))
        self.stdout.write("演示账号 / Demo accounts (passwords as set when first created):")
        self.table(rows)
        self.stdout.write("  * 演示专用账号（示例之外为各承办单位补充的负责人）/ demo-only heads of units the sample leaves unstaffed")
        by_role = {role: User.objects.filter(groups__name=role, is_active=True).order_by("username").values_list("username", flat=True).first()
                   for role in (Role.ADMIN, Role.AUDITOR)}
        self.stdout.write(f"  系统管理 /admin/（单位、人员、节假日安排）: {by_role[Role.ADMIN] or '—'}；"
                          f"审计 /audit/: {by_role[Role.AUDITOR] or '—'}；密码同上 / same password\n")

    def print_summary(self, seconds, calls):
        today = timezone.localdate()
        counts = dict(Case.objects.values_list("status").annotate(n=Count("id")))
        rows = [("状态 status", "", "件数")]
        for status in Status:
            rows.append((status.value, status.label, str(counts.get(status.value, 0))))
        open_cases = Case.objects.filter(status__in=OPEN_STATUSES)
        overdue = open_cases.filter(due_date__lt=today).count()
        soon = open_cases.filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=3)).count()
        total = sum(counts.values())
        petitions = Petition.objects.count()
        self.stdout.write("按状态统计 / Cases by status:")
        self.table(rows + [("total", "合计", str(total))])
        first = Case.objects.order_by("received_at").values_list("received_at", flat=True).first()
        self.stdout.write(
            f"信访件 petitions {petitions}（重复信访 repeats {Petition.objects.filter(is_repeat=True).count()}，"
            f"匿名 anonymous {Petition.objects.filter(is_anonymous=True).count()}），"
            f"集体访 collective {Case.objects.filter(is_collective=True).count()}，"
            f"超期 overdue {overdue}，3日内到期 due ≤3 days {soon}，"
            f"延期 extended {Case.objects.filter(extended_days__gt=0).count()}，"
            f"办理记录 events {CaseEvent.objects.count()}"
        )
        if first:
            self.stdout.write(f"时间范围 received {timezone.localtime(first):%Y-%m-%d} – {today:%Y-%m-%d}")
        self.stdout.write(self.style.SUCCESS(f"完成 / Done: {total} cases, {calls} service calls in {seconds:.1f} s"))

    def table(self, rows):
        def width(text):
            return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

        widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write("  " + "  ".join(cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row)).rstrip())
