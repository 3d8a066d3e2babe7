"""The overdue list (逾期未办): a unit's late legal deadlines and obligations with the
days overdue and the supervision level, and the reminders it received with their 催办单;
one click from 我的工作. A supervisor (or a leader, or the head of a petition office)
picks any unit in scope. Thin: the rules are supervision/reminders.py's."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from xinfang.cases import clock
from xinfang.lib.errors import NotAllowed, NotFound, ServiceError
from xinfang.lib.storage import serve_document
from xinfang.supervision import reminders
from xinfang.supervision.models import ReminderKind

from ..templatetags.web_tags import zh


@login_required
@require_GET
def overdue(request):
    user = request.user
    if user.unit_id is None:
        return render(request, "403.html", {"reason": "您的账号未关联单位 / Your account belongs to no unit."}, status=403)
    try:
        unit = reminders.unit_for(user, request.GET.get("unit"))
        received = reminders.reminders_for(user, unit=unit.pk, kind=request.GET.get("kind") or None)
    except NotAllowed as error:
        return render(request, "403.html", {"reason": zh(error.message)}, status=403)
    except ServiceError as error:
        raise Http404(zh(error.message))
    today = clock.as_date()
    context = {
        "unit": unit, "today": today, "lines": reminders.overdue_of(unit, today),
        "received": Paginator(received, 20).get_page(request.GET.get("page")),
        "units": reminders.units_in_scope(user) if reminders.may_oversee(user) else None,
        "kinds": ReminderKind.choices, "kind": request.GET.get("kind") or "",
    }
    return render(request, "web/supervision/overdue.html", context)


@login_required
@require_GET
def reminder_document(request, pk):
    """下载催办单: issued when first opened, then the stored file."""
    try:
        reminder = reminders.get_for(request.user, pk)
        item = reminders.document_of(request.user, reminder, ip=request.META.get("REMOTE_ADDR") or None)
    except NotFound as error:
        raise Http404(zh(error.message))
    except NotAllowed as error:
        return render(request, "403.html", {"reason": zh(error.message)}, status=403)
    return serve_document(item)


urlpatterns = [
    path("overdue/", overdue, name="overdue"),
    path("reminders/<int:pk>/document/", reminder_document, name="reminder_document"),
]
