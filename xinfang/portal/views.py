"""The public pages (网上信访). No login: a query code proves who may see a case. The
pages parse, call services.py and show its answers; a rejection is a message beside
the field, and what was typed stays in the form."""

import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinfang.lib import ratelimit as limits
from xinfang.lib.errors import ServiceError
from xinfang.lib.storage import serve_document

from . import captcha, info, public, services
from .forms import EvaluateForm, FollowForm, ReviewForm, SubmitForm
from .models import Challenge, Submission
from .templatetags.portal_tags import half

FOLLOW_SESSION = "portal_follow"
FOLLOW_MINUTES = 30


def _ip(request):
    return limits.client_ip(request)


def _errors(form, exc):
    """Put a service error's field messages beside the form's fields (in the page's
    language); the rest go to the form's top."""
    for name, message in exc.fields.items():
        target = name if name in form.fields else None
        form.add_error(target, half(message))
    if not exc.fields:
        form.add_error(None, half(exc.message))


@require_GET
def home(request):
    return render(request, "portal/home.html", {"limits": info.time_limits()})


# --- submit -------------------------------------------------------------------------------


def _challenge_for(form):
    """Keep the challenge the visitor already sees while it is unused; else a new one."""
    key = form.data.get("captcha_key", "") if form.is_bound else ""
    if key and Challenge.objects.filter(key=key, used_by="", expires_at__gt=timezone.now()).exists():
        return key, True
    return captcha.new_challenge().key, False


@require_http_methods(["GET", "POST"])
def submit(request):
    units = services.receiving_units()
    if request.method == "GET":
        if not limits.hit("captcha_ip", _ip(request)):
            return render(request, "portal/throttled.html", {"message": _("访问过于频繁，请稍后再试。")}, status=429)
        form = SubmitForm(units=units, initial={"idempotency_key": secrets.token_urlsafe(24),
                                                "captcha_key": captcha.new_challenge().key, "unit": request.GET.get("unit", "")})
        return render(request, "portal/submit.html", {"form": form, "limits": info.time_limits()})

    form = SubmitForm(request.POST, units=units)
    form.is_valid()  # parses; the rules are the service's
    d = form.cleaned_data
    data = services.SubmissionIn(
        kind=d.get("kind", ""), anonymous=d.get("anonymous", False), name=d.get("name", ""), phone=d.get("phone", ""),
        id_number=d.get("id_number", ""), address=d.get("address", ""), sms_opt_out=d.get("sms_opt_out", False), unit=d.get("unit", ""), place=d.get("place", ""),
        title=d.get("title", ""), content=d.get("content", ""), consent=d.get("consent", False))
    status = 422
    try:
        if form.errors:  # a value longer than its field, an unknown choice
            raise ServiceError("提交的信息有误，请检查标示的项目 / Some fields need attention.")
        receipt = services.submit(data=data, files=request.FILES.getlist("attachments"), ip=_ip(request),
                                  idempotency_key=d.get("idempotency_key", ""), captcha_key=d.get("captcha_key", ""),
                                  captcha_answer=d.get("captcha", ""))
    except ServiceError as exc:
        status = exc.status
        _errors(form, exc)
    else:
        return render(request, "portal/receipt.html", {"receipt": receipt, "case": receipt.case, "limits": info.time_limits(),
                                                       "follow_url": info.follow_address(request)})
    key, kept = _challenge_for(form)
    data = form.data.copy()
    data["captcha_key"] = key
    if not kept:
        data["captcha"] = ""
    form.data = data
    return render(request, "portal/submit.html", {"form": form, "limits": info.time_limits()}, status=status)


@require_GET
def captcha_image(request, key):
    png = captcha.image(key)
    if png is None:
        raise Http404
    return HttpResponse(png, content_type="image/png")


@require_GET
def captcha_new(request):
    """A new challenge for the "看不清，换一张" button."""
    if not limits.hit("captcha_ip", _ip(request)):
        return JsonResponse({"error": _("访问过于频繁，请稍后再试。")}, status=429)
    return JsonResponse({"key": captcha.new_challenge().key})


# --- follow -------------------------------------------------------------------------------


def _followed(request):
    """The submission this browser proved it may see, within the last half hour."""
    held = request.session.get(FOLLOW_SESSION)
    if not held or time.time() - held.get("at", 0) > FOLLOW_MINUTES * 60:
        return None
    return Submission.objects.select_related("case").filter(pk=held.get("id"), case__isnull=False).first()


def _status_page(request, submission, *, evaluate_form=None, review_form=None, error="", status=200):
    return render(request, "portal/status.html", {
        "view": public.view(submission),
        "evaluate_form": evaluate_form or EvaluateForm(),
        "review_form": review_form or ReviewForm(),
        "error": error,
    }, status=status)


@require_http_methods(["GET", "POST"])
def follow(request):
    if request.method == "GET":
        submission = _followed(request)
        if submission is not None:
            return _status_page(request, submission)
        return render(request, "portal/follow.html", {"form": FollowForm()})
    form = FollowForm(request.POST)
    form.is_valid()
    d = form.cleaned_data
    try:
        if form.errors:
            raise ServiceError("查询码格式不正确，请核对 / This is not a valid query code.", fields={"code": "请核对 / Check it."})
        submission = services.find(code=d.get("code", ""), verify=d.get("verify", ""), ip=_ip(request))
    except ServiceError as exc:
        _errors(form, exc)
        return render(request, "portal/follow.html", {"form": form, "ask_verify": exc.code == "verifier_required"
                                                      or bool(d.get("verify"))}, status=exc.status)
    request.session.cycle_key()
    request.session[FOLLOW_SESSION] = {"id": submission.pk, "at": time.time()}
    if not request.user.is_authenticated:
        request.session.set_expiry(FOLLOW_MINUTES * 60)
    return redirect("portal:follow")


@require_GET
def document(request, pk):
    """A document of a written reply, for the browser that opened the case with its code."""
    submission = _followed(request)
    if submission is None:
        raise Http404
    try:
        item = services.document(submission=submission, attachment_id=pk, ip=_ip(request))
    except limits.Throttled as exc:
        return render(request, "portal/throttled.html", {"message": half(exc.message)}, status=429)
    except ServiceError:
        raise Http404
    return serve_document(item)


@require_GET
def notice(request, pk):
    """A notice sent to the petitioner (受理告知书, 处理意见书 …), for the browser that opened
    the case with its code; opening it is online delivery when none is on record."""
    submission = _followed(request)
    if submission is None:
        raise Http404
    try:
        version = services.notice(submission=submission, document_id=pk, ip=_ip(request))
    except limits.Throttled as exc:
        return render(request, "portal/throttled.html", {"message": half(exc.message)}, status=429)
    except ServiceError:
        raise Http404
    return serve_document(version)


@require_POST
def leave(request):
    request.session.pop(FOLLOW_SESSION, None)
    return redirect("portal:follow")


def _act(request, form_class, perform, success, form_arg):
    submission = _followed(request)
    if submission is None:
        messages.warning(request, _("查询已超时，请重新输入查询码。"))
        return redirect("portal:follow")
    form = form_class(request.POST)
    form.is_valid()
    try:
        if form.errors:
            raise ServiceError("填写的内容有误 / Some fields need attention.")
        perform(submission, form.cleaned_data)
    except ServiceError as exc:
        _errors(form, exc)
        # Said at the top too: the form may be gone (e.g. evaluated already, window closed).
        return _status_page(request, submission, status=exc.status, error=half(exc.message), **{form_arg: form})
    messages.success(request, success)
    return redirect("portal:follow")


@require_POST
def evaluate(request):
    return _act(request, EvaluateForm,
                lambda s, d: services.evaluate(submission=s, satisfaction=d.get("satisfaction", ""), comment=d.get("comment", ""),
                                               ip=_ip(request)),
                _("感谢您的评价，已送达办理单位。"), "evaluate_form")


@require_POST
def review(request):
    return _act(request, ReviewForm,
                lambda s, d: services.ask_review(submission=s, reasons=d.get("reasons", ""), ip=_ip(request)),
                _("您的请求已提交，上一级机关将在30日内答复。"), "review_form")


# --- information -----------------------------------------------------------------------------


@require_GET
def guide(request):
    return render(request, "portal/guide.html", {"limits": info.time_limits()})


@require_GET
def reception(request):
    return render(request, "portal/reception.html", {"schedule": info.reception_schedule()})


@require_GET
def figures(request):
    return render(request, "portal/figures.html", {"figures": info.open_figures()})


# --- errors ------------------------------------------------------------------------------


def csrf_failure(request, reason=""):
    """A stale public form explains itself in the portal's words; staff pages keep
    Django's page (templates/403_csrf.html)."""
    if request.path_info.startswith(settings.PORTAL_URL_PREFIX):
        return render(request, "portal/csrf.html", status=403)
    return django_csrf_failure(request, reason=reason)
