"""bench_fill writes synthetic cases straight into the tables; what it writes must look
to the application like cases the services made."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count, Max

from xinfang.cases.choices import OPEN_STATUSES, Status
from xinfang.cases.models import Case, CaseAssignment, CaseEvent, CaseNumberSequence
from xinfang.intake.models import Petition, Petitioner
from xinfang.intake.services import PetitionIn, register
from xinfang.lib.validators import id_number_error
from xinfang.nlp.filters import CaseFilter, filter_cases
from xinfang.org.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled():
    out = io.StringIO()
    call_command("bench_fill", cases=500, batch=200, stdout=out)
    return out.getvalue()


def test_it_writes_one_petition_petitioner_and_register_event_per_case(filled):
    assert Case.objects.count() == 500
    assert Petition.objects.count() == Petitioner.objects.count() == 500
    assert CaseEvent.objects.filter(action="register").count() == 500
    assert not Case.objects.annotate(n=Count("petitions")).exclude(n=1).exists()
    assert "500 cases" in filled


def test_numbers_are_unique_and_continue_each_units_sequence(filled):
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 500
    per_unit_year = Counter((n.rsplit("-", 2)[0], n.rsplit("-", 2)[1]) for n in numbers)
    for seq in CaseNumberSequence.objects.select_related("unit"):
        assert seq.last == per_unit_year[(seq.unit.code, str(seq.year))]
    dengji = User.objects.get(username="dengji")
    _, case = register(actor=dengji, data=PetitionIn(channel="letter", receiving_unit="341122-XFJ", title="测试", content="测试", kind="grievance"))
    seq = CaseNumberSequence.objects.get(unit__code="341122-XFJ", year=case.received_at.year)
    assert case.number.endswith(f"-{seq.last:05d}")
    assert Case.objects.filter(number=case.number).count() == 1


def test_rows_carry_consistent_paths_dates_and_deadlines(filled):
    for case in Case.objects.select_related("unit", "current_unit"):
        assert case.unit_path == case.unit.path and case.current_unit_path == case.current_unit.path
        due, kind = case.due_date, case.due_kind
        case.refresh_due()
        assert (case.due_date, case.due_kind) == (due, kind)
        if case.status in OPEN_STATUSES:
            assert due is not None
        if case.accepted_at:
            assert case.received_at <= case.accepted_at
        if case.replied_at:
            assert case.accepted_at <= case.replied_at
    routed = Case.objects.exclude(status__in=[Status.REGISTERED, Status.ACCEPTED, Status.DECLINED, Status.REFUSED])
    assert CaseAssignment.objects.filter(case__in=routed).values("case").distinct().count() == routed.count()
    for id_number in Petitioner.objects.values_list("id_number", flat=True)[:100]:
        assert id_number_error(id_number) is None


def test_the_county_bureau_sees_its_cases_and_a_township_only_its_own(filled):
    dengji = User.objects.get(username="dengji")
    visible = Case.objects.visible_to(dengji)
    assert visible.count() >= 450
    qs_fuzeren = User.objects.get(username="qs_fuzeren")
    root = qs_fuzeren.unit.scope_root.path
    for case in Case.objects.visible_to(qs_fuzeren).prefetch_related("assignments"):
        assert (case.unit_path.startswith(root) or case.current_unit_path.startswith(root)
                or any(a.unit_path.startswith(root) for a in case.assignments.all()))


def test_the_my_work_query_lists_the_bureaus_open_cases_by_deadline(filled):
    dengji = User.objects.get(username="dengji")
    page = list(filter_cases(dengji, CaseFilter(waiting=True))[:50])
    assert page
    assert all(c.status in OPEN_STATUSES and c.current_unit_id in dengji.unit.acts_for for c in page)
    dues = [c.due_date for c in page]
    assert dues == sorted(dues)
    assert Case.objects.aggregate(m=Max("received_at"))["m"] is not None
