"""load_demo builds a small but complete office: every status, overdue work, repeats
and collective visits, all made through the services; and a second run changes nothing."""

import datetime
import io

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from xinfang.audit.models import AuditEntry
from xinfang.cases.choices import OPEN_STATUSES, Status
from xinfang.cases.models import Case, CaseEvent
from xinfang.intake.choices import MAX_REPRESENTATIVES
from xinfang.intake.models import Petition, Petitioner
from xinfang.lib.validators import id_number_error, phone_error
from xinfang.org.models import User


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class LoadDemoTests(TestCase):
    """One load of 40 cases, shared by the tests (it takes a few seconds)."""

    @classmethod
    def setUpTestData(cls):
        out = io.StringIO()
        call_command("load_demo", cases=40, seed=7, stdout=out)
        cls.output = out.getvalue()

    def test_it_creates_cases_in_every_status(self):
        assert Case.objects.count() == 40
        assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)

    def test_assigned_cases_are_answered_through_their_result_report(self):
        """报送办理结果 → 审核通过; some sent back once with a reason and reported again;
        some still waiting for the assigning unit's decision (待审核)."""
        approved = CaseEvent.objects.filter(action="approve").values_list("case_id", flat=True)
        assert approved
        for case_id in approved:
            actions = list(CaseEvent.objects.filter(case_id=case_id).order_by("at", "id").values_list("action", flat=True))
            assert actions.index("report") < actions.index("approve") and "assign" in actions
        sent_back = CaseEvent.objects.filter(action="send_back")
        assert sent_back.exists() and all(e.note and e.data["due_date"] for e in sent_back)
        for event in sent_back:
            after = CaseEvent.objects.filter(case_id=event.case_id, at__gt=event.at, action="report")
            assert after.exists()
        waiting = Case.objects.filter(status=Status.REPORTED)
        assert waiting.exists()
        assert all(c.obligations.get(status="reported").creditor_unit_id != c.current_unit_id for c in waiting)
        # Forwarded cases (and those the bureau handles itself) are still answered directly.
        assert CaseEvent.objects.filter(action="reply", from_status__in=("accepted", "in_progress")).exists()

    def test_it_leaves_some_work_overdue_and_some_due_within_three_days(self):
        today = timezone.localdate()
        open_cases = Case.objects.filter(status__in=OPEN_STATUSES)
        assert Case.objects.overdue(today).count() >= 3
        assert open_cases.filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=3)).exists()
        assert not open_cases.filter(due_date__isnull=True).exists()

    def test_it_attaches_repeat_petitions_of_the_same_petitioner(self):
        repeats = Petition.objects.filter(is_repeat=True).select_related("case")
        assert repeats.exists()
        for repeat in repeats:
            first = repeat.case.petitions.order_by("received_at", "id").first()
            assert first != repeat
            assert repeat.case.petition_count >= 2
            ids = set(first.petitioners.values_list("id_number", flat=True))
            assert set(repeat.petitioners.values_list("id_number", flat=True)) <= ids

    def test_it_registers_collective_visits_with_at_most_five_representatives(self):
        collective = Petition.objects.filter(channel="visit", headcount__gte=5)
        assert collective.exists()
        for petition in collective:
            assert petition.case.is_collective
            reps = petition.petitioners.filter(is_representative=True).count()
            assert 1 <= reps <= MAX_REPRESENTATIVES

    def test_every_case_has_a_timeline_made_by_the_services(self):
        registered = set(CaseEvent.objects.filter(action="register").values_list("case_id", flat=True))
        assert registered == set(Case.objects.values_list("pk", flat=True))
        # One audit entry per action taken (a merge also notes itself on the case it joined).
        # Supervision steps (督办) are on the timeline too, and on the audit record as the
        # obligation's own entries (obligation.*), not as case actions.
        taken = (CaseEvent.objects.exclude(action__in=["register", "repeat", "supervise"])
                 .exclude(action="merge", data__has_key="from_case_id"))
        assert AuditEntry.objects.filter(action__startswith="case.").count() == taken.count()
        now = timezone.now()
        assert not CaseEvent.objects.filter(at__gt=now).exists()
        # Numbers are the real sequence: unique, and each unit's run starts at 1.
        numbers = list(Case.objects.values_list("number", flat=True))
        assert len(set(numbers)) == len(numbers)

    def test_declined_cases_say_why_and_where_to_go(self):
        for case in Case.objects.filter(status=Status.DECLINED):
            assert case.decline_reason and case.proper_channel

    def test_personal_data_is_well_formed(self):
        for id_number, phone in Petitioner.objects.values_list("id_number", "phone"):
            assert id_number_error(id_number) is None
            assert phone_error(phone) is None

    def test_it_prints_the_accounts_and_the_summary(self):
        assert "Demo-2026-xf" in self.output and "dengji" in self.output and "city_fuzeren" in self.output
        assert "overdue" in self.output and "total" in self.output
        assert User.objects.get(username="dengji").check_password("Demo-2026-xf")

    def test_a_second_run_changes_nothing_and_says_so(self):
        before = (Case.objects.count(), Petition.objects.count(), CaseEvent.objects.count(), AuditEntry.objects.count(), User.objects.count())
        out = io.StringIO()
        call_command("load_demo", cases=40, stdout=out)
        after = (Case.objects.count(), Petition.objects.count(), CaseEvent.objects.count(), AuditEntry.objects.count(), User.objects.count())
        assert after == before
        assert "nothing changed" in out.getvalue()

    def test_a_copy_of_a_letter_sent_to_two_offices_is_merged_into_the_first_case(self):
        merged = Case.objects.filter(status=Status.MERGED)
        assert merged.exists()
        for case in merged:
            event = case.events.get(action="merge")
            target = Case.objects.get(pk=event.data["into_case_id"])
            assert target.status != Status.MERGED and target.petitions.count() >= 2

    def test_accusations_against_a_unit_go_to_discipline_inspection_never_to_the_accused(self):
        accused = Case.objects.filter(accused_unit__isnull=False).select_related("accused_unit", "lead_unit")
        assert accused.exists()
        for case in accused:
            assert case.kind == "accusation"
            for assignment in case.assignments.select_related("unit"):
                assert not assignment.unit.is_within(case.accused_unit)
            assert case.lead_unit is None or case.lead_unit.kind == "discipline"
