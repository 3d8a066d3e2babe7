from django.db import models
from django.db.models import Exists, OuterRef, Q

from .choices import OPEN_STATUSES, DueKind, ObligationKind, ObligationStatus, Status

# What some unit owes now: an open case, or an answered one whose written answer is not
# yet delivered (送达, due_kind "deliver"; Case.refresh_due).
OWED = Q(status__in=OPEN_STATUSES) | Q(due_kind=DueKind.DELIVER)


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Cases a user may see: those registered in their scope, or routed (now or
        before) to a unit in their scope. Everything that lists or shows a case goes
        through here."""
        if not getattr(user, "is_authenticated", False) or user.unit_id is None:
            return self.none()
        root = user.unit.scope_root.path
        # models.py builds its manager from this class, so the model is reached at call time.
        from .models import CaseAssignment

        routed = CaseAssignment.objects.filter(case=OuterRef("pk"), unit_path__startswith=root)
        return self.filter(Q(unit_path__startswith=root) | Q(current_unit_path__startswith=root) | Exists(routed))

    def waiting_on(self, unit):
        """Cases whose next move belongs to this unit: those with it, those it assists
        (协办) whose part it has not yet submitted, and assigned cases whose result report
        waits for its decision (待审核: status reported, the report-back owed to it). A
        reported case waits on the assigning unit, not on the lead unit holding it."""
        from .models import CaseAssignment, Obligation

        owed = CaseAssignment.objects.filter(unit__in=unit.acts_for, is_lead=False, returned_at__isnull=True,
                                             submitted_at__isnull=True).values("case_id")
        to_decide = Obligation.objects.filter(creditor_unit__in=unit.acts_for, kind=ObligationKind.REPORT_BACK,
                                              status=ObligationStatus.REPORTED).values("case_id")
        return self.filter(Q(current_unit__in=unit.acts_for) & OWED & ~Q(status=Status.REPORTED)
                           | Q(pk__in=owed, status__in=(Status.ASSIGNED, Status.IN_PROGRESS))
                           | Q(pk__in=to_decide, status=Status.REPORTED))

    def overdue(self, today):
        return self.filter(OWED, due_date__lt=today)

    def by_deadline(self):
        return self.order_by(models.F("due_date").asc(nulls_last=True), "id")
