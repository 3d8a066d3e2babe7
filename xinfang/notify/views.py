"""Staff pages of the notification centre: the bell (a partial the navigation bar polls),
the list with mark read, the email preferences, and the administrator's failed messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from xinfang.lib.errors import ServiceError, for_page
from xinfang.lib.ratelimit import client_ip

from . import services
from .kinds import EMAIL_CHOICES
from .models import Notification


@login_required
def bell(request):
    return render(request, "notify/_bell.html", {"unread": services.unread_count(request.user)})


@login_required
def centre(request):
    unread_only = request.GET.get("unread") == "1"
    page = services.notifications_for(request.user, request.GET.get("page"), unread_only=unread_only)
    return render(request, "notify/centre.html", {"page": page, "unread_only": unread_only,
                                                  "unread": services.unread_count(request.user)})


@login_required
@require_POST
def mark_read(request):
    ids = "all" if request.POST.get("all") else request.POST.getlist("ids")
    try:
        done = services.mark_read(request.user, ids)
    except ServiceError as error:
        messages.error(request, for_page(error.message))
    else:
        messages.success(request, f"已将{done}条通知标为已读")
    return redirect(request.POST.get("next") or "notify:centre") if _own(request.POST.get("next")) else redirect("notify:centre")


def _own(path):
    return bool(path) and path.startswith("/") and not path.startswith("//")


@login_required
def open_notification(request, pk):
    """Follow a notification's link, marking it read."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(request.user, [note.pk])
    return redirect(note.link if _own(note.link) else "notify:centre")


@login_required
def preferences(request):
    chosen = services.email_kinds(request.user)
    if request.method == "POST":
        wanted = request.POST.getlist("kinds")
        try:
            services.set_email_kinds(request.user, wanted)
        except ServiceError as error:
            messages.error(request, for_page(error.message))
            chosen = wanted  # what they ticked stays ticked
        else:
            messages.success(request, "通知偏好已保存")
            return redirect("notify:preferences")
    kinds = [(k.value, k.label, k.value in chosen) for k in EMAIL_CHOICES]
    return render(request, "notify/preferences.html", {"kinds": kinds, "email": request.user.email})


@login_required
def outbox(request):
    try:
        page = services.troubled_messages(request.user, request.GET.get("page"))
    except ServiceError as error:
        raise PermissionDenied(for_page(error.message)) from None
    return render(request, "notify/outbox.html", {"page": page})


@login_required
@require_POST
def retry(request, pk):
    try:
        services.retry(message_id=pk, actor=request.user, ip=client_ip(request))
    except ServiceError as error:
        if error.status == 403:
            raise PermissionDenied(for_page(error.message)) from None
        messages.error(request, for_page(error.message))
    else:
        messages.success(request, "已重新排队，将在下一轮发送（非工作时间顺延至工作日上午）")
    return redirect("notify:outbox")
