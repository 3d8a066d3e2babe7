"""The review (re-review) window runs from the day the petitioner received the written
answer (Arts. 35-36), no longer from the day of the reply. Cases answered before delivery
was recorded had their window counted from the reply: for each one whose petitioner has
not yet asked for the review (re-review), the window becomes unknown (待送达) until the
delivery is recorded, and the answer is owed a delivery (deliver_due, counted from the
reply: those long past it are on the overdue lists until an office records when the
answer was in fact delivered). A case whose review was asked for is left as it is.

What changed is printed (counts and case numbers) when there is anything to change."""

import logging

from django.db import migrations

logger = logging.getLogger("xinfang.migrations")

ANSWER_KINDS = ("opinion", "review_opinion", "re_review_opinion")
# (status answered at this stage, its window field, when the petitioner asked, the answer's time)
STAGES = (
    (("replied", "evaluated", "closed"), "review_window_end", "review_requested_at", "replied_at"),
    (("reviewed",), "re_review_window_end", "re_review_requested_at", "reviewed_at"),
)


def delivered_replies(apps):
    """The ids of the replies whose written answer has a current delivery record."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Delivery = apps.get_model("documents", "Delivery")
    case_type = ContentType.objects.filter(app_label="cases", model="case").first()
    if case_type is None:
        return set()
    sources = (Delivery.objects.filter(superseded_at__isnull=True, document__subject_type=case_type,
                                       document__kind__in=ANSWER_KINDS, document__source__startswith="reply:")
               .values_list("document__source", flat=True))
    return {int(s.split(":", 1)[1]) for s in sources if s.split(":", 1)[1].isdigit()}


def window_from_delivery(apps, schema_editor, say=print):
    from xinfang.cases import clock  # the calendar of official holidays, as the live code counts

    Case = apps.get_model("cases", "Case")
    Reply = apps.get_model("cases", "Reply")
    delivered = delivered_replies(apps)
    today = clock.as_date()
    changed = {}
    for statuses, window, asked, answered in STAGES:
        stage = "handling" if window == "review_window_end" else "review"
        rows = (Case.objects.filter(status__in=statuses, **{f"{asked}__isnull": True, f"{window}__isnull": False})
                .order_by("number"))
        for case in rows:
            reply = Reply.objects.filter(case=case, stage=stage).order_by("-replied_at", "-id").first()
            if reply is not None and reply.pk in delivered:
                continue
            was = getattr(case, window)
            setattr(case, window, None)
            start = getattr(case, answered) or (reply.replied_at if reply else None)
            case.deliver_due = clock.days_after(start, clock.limit("deliver_days")).date if start else today
            # Not an open status: the undelivered answer is what its unit owes now.
            case.due_date, case.due_kind = case.deliver_due, "deliver"
            case.save(update_fields=[window, "deliver_due", "due_date", "due_kind"])
            changed.setdefault(window, []).append((case.number, was, was < today))
    if changed:
        for window, rows in changed.items():
            past = sum(1 for _, _, closed in rows if closed)
            line = (f"cases: {window} of {len(rows)} case(s) set to 待送达 (no delivery recorded; {past} of them had a window "
                    f"already closed, counted from the reply): " + ", ".join(f"{n} (was {w})" for n, w, _ in rows))
            logger.info(line)
            say(line)
    return changed


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0010_deliver_due"),
        ("documents", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(window_from_delivery, migrations.RunPython.noop),
    ]
