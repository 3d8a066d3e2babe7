"""The staff pages. They read through the cases/intake query functions and change
state only through the services (`register`, `perform`); what is legal is the services'
decision, shown here as buttons (`allowed_actions`) and as their error messages."""

import datetime
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from xinfang.analytics import exports as case_exports
from xinfang.audit.services import record as audit
from xinfang.cases import paperwork
from xinfang.cases.choices import OPEN_STATUSES, Action, Channel, ObligationKind
from xinfang.cases.models import Case, CaseAssignment, Evaluation, ObligationEntry
from xinfang.cases.casefile import casefile_for
from xinfang.cases.services import (allowed_actions, casefile_download, casefile_download_refusal, casefile_rebuild_refusal, get_case_for,
                                    pending_draft, perform, rebuild_casefile, refusal, shows_identity)
from xinfang.documents.delivery import history_for as delivery_history
from xinfang.documents.models import Delivery
from xinfang.intake.models import Attachment, Petition, Petitioner
from xinfang.intake.privacy import may_reveal, reveal, unreadable_fields
from xinfang.intake.services import PetitionIn, candidate_cases, register_once
from xinfang.lib import tabular
from xinfang.lib.errors import NotAllowed, NotFound, ServiceError, halves
from xinfang.lib.masking import mask_person
from xinfang.lib.storage import serve_stored
from xinfang.lib.ratelimit import Throttled
from xinfang.lib.validators import EIGHTEEN_DIGITS, RESIDENT_ID, document_error, id_region_hint, phone_error
from xinfang.nlp.filters import CaseFilter, filter_cases
from xinfang.nlp.search import highlight
from xinfang.nlp.services import similar_petitions, suggest
from xinfang.org.models import Unit
from xinfang.portal import info as portal_info
from xinfang.portal import services as portal_services

from .forms import (
    ACTION_FORMS,
    RegisterForm,
    SearchForm,
    action_form,
    action_params,
    petitioner_formset,
)
from .templatetags.web_tags import zh

PER_PAGE = 50


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


def with_channel(qs):
    """Annotate each case with the channel of its first petition (one subquery, no N+1)."""
    first = Petition.objects.filter(case=OuterRef("pk")).order_by("received_at", "id").values("channel")[:1]
    return qs.annotate(first_channel=Subquery(first))


def channel_label(code):
    return Channel(code).label if code in Channel.values else ""


def _page(request, qs):
    page = Paginator(with_channel(qs), PER_PAGE).get_page(request.GET.get("page"))
    for case in page.object_list:
        case.channel_label = channel_label(case.first_channel)
    return page


def _no_unit(request):
    messages.warning(request, "您的账号尚未设置所属单位，请联系系统管理员。")


@login_required
def home(request):
    return redirect("web:my_work")


# --- 我的工作 ---------------------------------------------------------------------


@login_required
@require_GET
def my_work(request):
    today = timezone.localdate()
    if request.user.unit_id is None:
        _no_unit(request)
        qs = Case.objects.none()
    else:
        qs = filter_cases(request.user, CaseFilter(waiting=True))
        # A case this unit assists (协办) is due when its part is, shown next to the lead's date.
        owed = CaseAssignment.objects.filter(case=OuterRef("pk"), unit__in=request.user.unit.acts_for, is_lead=False,
                                             returned_at__isnull=True, submitted_at__isnull=True)
        qs = qs.annotate(assist_due=Subquery(owed.values("due_date")[:1]))
    soon = today + datetime.timedelta(days=settings.XINFANG_LIMITS["due_soon_days"])
    counts = qs.order_by().aggregate(
        waiting=Count("pk"),
        due_soon=Count("pk", filter=Q(due_date__gte=today, due_date__lte=soon)),
        overdue=Count("pk", filter=Q(due_date__lt=today)),
    )
    context = {"page": _page(request, qs), "counts": counts, "today": today,
               "due_soon_days": settings.XINFANG_LIMITS["due_soon_days"]}
    template = "web/_work_table.html" if request.htmx and not request.htmx.boosted else "web/my_work.html"
    return render(request, template, context)


# --- 案件查询 ---------------------------------------------------------------------


@login_required
@require_GET
def search(request):
    form = SearchForm(request.GET, actor=request.user)
    qs = Case.objects.none()
    if form.is_valid():
        try:
            qs = filter_cases(request.user, search_filter(form))
        except ServiceError as error:
            for _, text in _place_errors(form, error):
                form.add_error(None, text)
    page = _page(request, qs)
    if form.is_valid() and form.cleaned_data["q"]:
        _highlight(page.object_list, form.cleaned_data["q"])
    context = {"form": form, "page": page, "today": timezone.localdate(), "export_limit": settings.CASE_EXPORT_MAX_ROWS}
    template = "web/_search_results.html" if request.htmx and not request.htmx.boosted else "web/search.html"
    return render(request, template, context)


def search_filter(form):
    """The CaseFilter of a valid search form: what the list shows, and what it exports."""
    data = form.cleaned_data
    return CaseFilter(q=data["q"], status=data["status"], kind=data["kind"], category=data["category"], unit=data["unit"],
                      overdue=form.overdue_flag, received_from=data["received_from"], received_to=data["received_to"])


EXPORT_FORMATS = ("csv", "xlsx")


def _export_refused(request, message, status):
    return render(request, "web/export_refused.html", {"message": zh(message)}, status=status)


@login_required
@require_GET
def export_cases(request, fmt):
    """导出: the list of 案件查询 for the same filters, in the same order, as a CSV or
    Excel ledger (analytics/exports.py). At most CASE_EXPORT_MAX_ROWS rows: more is refused,
    never cut short. Every export is on the audit record, before the file is made."""
    if fmt not in EXPORT_FORMATS:
        raise Http404("不支持的导出格式")
    user = request.user
    if user.unit_id is None:
        return _export_refused(request, "您的账号尚未设置所属单位，不能导出 / Your account has no unit: nothing to export.", 403)
    form = SearchForm(request.GET, actor=user)
    if not form.is_valid():
        return _export_refused(request, "筛选条件有误，请回到案件查询修改 / The filters are not valid.", 400)
    try:
        qs = filter_cases(user, search_filter(form))
    except ServiceError as error:
        return _export_refused(request, str(error.message), error.status)
    count = qs.count()
    limit = settings.CASE_EXPORT_MAX_ROWS
    if count > limit:
        return _export_refused(
            request, f"一次最多导出{limit}件，按当前条件共{count}件，请缩小筛选范围（如收到日期、单位、状态）后再导出 / "
                     f"At most {limit} cases per export, these filters match {count}: narrow the filters.", 400)
    filters = {k: v.isoformat() if hasattr(v, "isoformat") else str(v) for k, v in form.cleaned_data.items() if v}
    # Recorded before the file is made: a download that fails half-way was still asked for.
    audit(actor=user, action="case.export", object_type="cases", object_id="",
          detail={"filters": filters, "rows": count, "format": fmt}, ip=client_ip(request))
    name = f"xinfang-cases-{timezone.localtime():%Y%m%d-%H%M%S}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(tabular.csv_stream(case_exports.HEADER, case_exports.rows(qs, user)),
                                         content_type=tabular.CSV_TYPE)
    else:
        content = tabular.xlsx_bytes(case_exports.HEADER, case_exports.rows(qs, user), sheet=case_exports.SHEET,
                                     widths=case_exports.WIDTHS)
        response = HttpResponse(content, content_type=tabular.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _highlight(cases, q):
    """The query's words marked in each listed case's title and in a window of its first
    petition's text (one query for the page, not one per case)."""
    cases = list(cases)
    first = {}
    for case_id, content in (Petition.objects.filter(case__in=[c.pk for c in cases]).order_by("case_id", "received_at", "id")
                             .values_list("case_id", "content")):
        first.setdefault(case_id, content[:5000])
    for case in cases:
        case.title_marked = highlight(case.title, q)
        snippet = highlight(first.get(case.pk, ""), q, width=90)
        case.snippet_marked = snippet if "<mark>" in snippet else ""


def _place_errors(form, error, *, formset=None):
    """Put a service error's field messages next to the fields; return those that have no
    field on this page (shown at the top)."""
    loose = []
    for key, text in (error.fields or {}).items():
        # A field note is either a sentence ("中文 / English") or just the value at fault
        # (a unit's name, "1–30"); the latter reads better after the error's message.
        text = zh(text) if halves(text)[1] else f"{zh(error.message)}（{text}）"
        if key.startswith("petitioners.") and formset is not None:
            _, index, name = (key.split(".") + ["", ""])[:3]
            if index.isdigit() and int(index) < len(formset.forms) and name in formset.forms[int(index)].fields:
                formset.forms[int(index)].add_error(name, text)
                continue
        if key == "attachments" and key in form.fields:
            form.add_error(key, zh(error.message))
            continue
        if key in form.fields:
            form.add_error(key, text)
            continue
        loose.append((key, text))
    return loose


# --- 登记 -------------------------------------------------------------------------


REGISTER_TEMPLATE = "web/register.html"
MIN_VISIT_ROWS = 5


@login_required
@require_http_methods(["GET", "POST"])
def register_petition(request):
    actor = request.user
    if actor.unit_id is None:
        _no_unit(request)
        return redirect("web:my_work")
    loose, representatives_error, status = [], "", 200
    if request.method == "POST":
        form = RegisterForm(request.POST, request.FILES, actor=actor)
        formset = petitioner_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            channel = data["channel"]
            petition_in = PetitionIn(
                channel=channel, received_at=data["received_at"], receiving_unit=data["receiving_unit"] or None,
                title=data["title"], content=data["content"], kind=data["kind"], category=form.category_code or None,
                petitioners=[f.cleaned_data for f in formset.forms],
                headcount=(data["headcount"] or 1) if channel == Channel.VISIT else 1,
                case=data["case"], agent_name=data["agent_name"], agent_role=data["agent_role"],
                referral_from=data["referral_from"], accused_unit=data["accused_unit"] or None,
                accused_post=data["accused_post"], confirm_late=data["confirm_late"],
            )
            try:
                petition, case, replayed = register_once(actor=actor, data=petition_in, files=data["attachments"],
                                                         ip=client_ip(request), idempotency_key=data["submission_key"])
            except ServiceError as error:
                status = error.status
                if isinstance(error, NotFound) and data["case"]:
                    form.add_error("case", zh(error.message))
                else:
                    loose = _place_errors(form, error, formset=formset)
                    representatives_error = dict(loose).pop("representatives", "")
                    loose = [(k, t) for k, t in loose if k != "representatives"]
                    if not error.fields:
                        loose.append(("", zh(error.message)))
            else:
                if replayed:
                    messages.info(request, f"该登记表单已提交过，未重复登记：事项编号 {case.number}")
                else:
                    what = "重复信访，已并入事项" if petition.is_repeat else "登记成功，事项编号"
                    messages.success(request, f"{what} {case.number}")
                return redirect("web:case", number=case.number)
        else:
            status = 422
        if request.FILES:
            form.files_lost = True
    else:
        channel = request.GET.get("channel", "")
        form = RegisterForm(actor=actor, initial={"channel": channel} if channel in Channel.values else {})
        extra = MIN_VISIT_ROWS if channel == Channel.VISIT else 1
        formset = petitioner_formset(rows=extra)
    context = {"form": form, "formset": formset, "loose_errors": loose, "representatives_error": representatives_error,
               "min_visit_rows": MIN_VISIT_ROWS, "visit": Channel.VISIT,
               "agent_roles": ["信访信息员", "代办员", "人大代表", "律师", "亲属"],
               "late_entry_days": settings.XINFANG_LIMITS["late_entry_days"]}
    return render(request, REGISTER_TEMPLATE, context, status=status)


LOOKUP_KEY = re.compile(r"^p-(\d+)-(id_number|phone|document_type)$")


@login_required
@require_GET
def candidates(request):
    """The side panel of the register form: existing cases of the same petitioner."""
    rows = {}
    for key, value in request.GET.items():
        if match := LOOKUP_KEY.match(key):
            rows.setdefault(int(match[1]), {})[match[2]] = value.strip().upper() if match[2] == "id_number" else value.strip()
    people, warnings = [], []
    for index in sorted(rows):
        row = rows[index]
        id_number, phone = row.get("id_number", ""), row.get("phone", "")
        document_type = row.get("document_type", "").lower() or RESIDENT_ID
        person = {}
        if len(id_number) >= (18 if document_type in EIGHTEEN_DIGITS else 5):
            if why := document_error(document_type, id_number):
                warnings.append(f"第{index + 1}行：{zh(why)}")
            else:
                person["id_number"] = id_number
        if len(re.sub(r"\D", "", phone)) >= 7:
            if why := phone_error(phone):
                warnings.append(f"第{index + 1}行：{zh(why)}")
            else:
                person["phone"] = phone
        if person:
            people.append(person)
    found = []
    if people and request.user.unit_id:
        # An accusation is never linked to the person who brought it for a user who may
        # not see the accuser (Art. 30): the number typed here would name them.
        found = [c for c in candidate_cases(actor=request.user, petitioners=people) if shows_identity(c, request.user)]
    context = {"candidates": found, "looked_up": bool(people), "warnings": warnings, "chosen": request.GET.get("case", "")}
    return render(request, "web/_candidates.html", context)


@login_required
@require_http_methods(["POST"])
def similar(request):
    """The second side panel of the register form: existing petitions like the one being
    typed (same text, same place and category, same petitioner) and the suggested
    category, unit and place. Nothing here changes anything."""
    data = request.POST
    title, content = data.get("title", "")[:200], data.get("content", "")[:100_000]
    people = []
    for key, value in data.items():
        if (match := LOOKUP_KEY.match(key)) and value.strip():
            value = value.strip().upper() if match[2] == "id_number" else value.strip()
            document_type = data.get(f"p-{match[1]}-document_type") or RESIDENT_ID
            if ((match[2] == "id_number" and not document_error(document_type, value))
                    or (match[2] == "phone" and not phone_error(value))):
                people.append({match[2]: value})
    actor = request.user
    context = {"looked_up": bool((title + content).strip()), "chosen": data.get("case", ""), "similar": [], "suggestions": None}
    if context["looked_up"] and actor.unit_id:
        unit = Unit.objects.filter(code=data.get("receiving_unit", "")).first()
        category = data.get("category") or data.get("category_top") or None
        found = similar_petitions(actor=actor, title=title, content=content, petitioners=people, category=category,
                                  receiving_unit=unit)
        context["similar"] = without_accusers(actor, found)
        context["suggestions"] = suggest(title=title, content=content, actor=actor)
    return render(request, "web/_similar.html", context)


def without_accusers(user, found):
    """Similar cases without "same petitioner" where `user` may not see who brought the
    case: for an accusation, that link would name the accuser (Art. 30)."""
    kept = []
    for item in found:
        if "same_petitioner" in item.reasons and not shows_identity(item.case, user):
            item.reasons = [r for r in item.reasons if r != "same_petitioner"]
        if item.reasons:
            kept.append(item)
    return kept


# --- 案件详情与操作 ---------------------------------------------------------------


def _get_case(request, number):
    try:
        return get_case_for(request.user, number)
    except NotFound as error:
        raise Http404(zh(error.message))


def action_buttons(case, user):
    return [(a, Action(a).label) for a in allowed_actions(case, user)]


def case_context(request, case, *, open_action="", form=None, error=None, version=None):
    user = request.user
    petitions = list(
        case.petitions.select_related("receiving_unit", "category", "category__parent", "registered_by", "accused_unit")
        .prefetch_related(Prefetch("petitioners", queryset=Petitioner.objects.order_by("position", "id")),
                          Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
    )
    for petition in petitions:
        petition.channel_label = petition.get_channel_display()
        # The accuser shield is the petition's own (it travels with it through merges).
        petition.identity = petition.shows_identity_to(user)
        # Masked for everyone; the reveal button for those who may see more (intake/privacy.py).
        petition.may_reveal = petition.identity and may_reveal(user, case, petition)
        for person in petition.petitioners.all():
            person.masked = mask_person(person)
            person.region_hint = zh(id_region_hint(person.id_number) or "") if person.document_type in EIGHTEEN_DIGITS else ""
    replies = list(case.replies.select_related("unit", "signed_by").prefetch_related(
        Prefetch("evaluations", queryset=Evaluation.objects.select_related("recorded_by")),
        Prefetch("attachments", queryset=Attachment.objects.order_by("id"))))
    events = list(case.events.select_related("actor", "actor_unit"))
    assignments = list(case.assignments.select_related("unit", "assigned_by"))
    # 交办反馈: each report-back owed on this case, with its record (reports, send-backs, the acceptance).
    report_backs = list(case.obligations.filter(kind=ObligationKind.REPORT_BACK).select_related("owner_unit", "creditor_unit")
                        .prefetch_related(Prefetch("entries", queryset=ObligationEntry.objects.select_related("actor", "unit")
                                                   .order_by("at", "id"))).order_by("opened_at", "id"))
    today = timezone.localdate()
    deadlines = [
        ("受理告知期限", case.decide_due, case.decided_at, "第二十二条：收到之日起15日内决定受理、转送或交办，并书面告知"),
        ("办理期限", case.handle_due, case.replied_at, "第三十四条：受理之日起60日内办结，可延长一次不超过30日"),
        ("申请复查截止", case.review_window_end, case.review_requested_at, "第三十五条：收到处理意见之日起30日内"),
        ("复查答复期限", case.review_due, case.reviewed_at, "第三十五条：收到复查请求之日起30日内答复"),
        ("申请复核截止", case.re_review_window_end, case.re_review_requested_at, "第三十六条：收到复查意见之日起30日内"),
        ("复核答复期限", case.re_review_due, case.concluded_at, "第三十六条：收到复核请求之日起30日内答复"),
    ]
    deadlines = [
        {"label": label, "date": date, "done": done, "basis": basis, "left": (date - today).days,
         "current": date == case.due_date and not done}
        for label, date, done, basis in deadlines if date
    ]
    if case.replied_at and not case.review_window_end:
        deadlines.append({"label": "申请复查截止", "date": None, "done": case.review_requested_at, "pending": True,
                          "basis": "第三十五条：自收到书面答复之日起30日内；答复送达后起算"})
    if case.reviewed_at and not case.re_review_window_end:
        deadlines.append({"label": "申请复核截止", "date": None, "done": case.re_review_requested_at, "pending": True,
                          "basis": "第三十六条：自收到复查意见之日起30日内；复查意见送达后起算"})
    if case.deliver_due:
        deadlines.append({"label": "答复送达期限", "date": case.deliver_due, "done": None, "left": (case.deliver_due - today).days,
                          "basis": f"答复作出后{settings.XINFANG_LIMITS['deliver_days']}日内送达信访人",
                          "current": case.due_kind == "deliver"})
    for reply in replies:
        # A reply written to an accuser carries the shield on its files.
        reply.files = [f for f in reply.attachments.all() if f.shown_to(user)]
    identity = all(p.identity for p in petitions)
    if any(p.identity and p.petitioners.all() for p in petitions) and not (request.htmx and not request.htmx.boosted):
        # Personal data of petitioners is on this page: every read is recorded.
        audit(actor=user, action="case.read_personal", obj=case, detail={"number": case.number}, ip=client_ip(request))
    return {
        "case": case, "today": today, "petitions": petitions, "replies": replies, "events": events,
        "assignments": assignments, "deadlines": deadlines, "identity": identity, "report_backs": report_backs,
        "actions": action_buttons(case, user), "open_action": open_action, "action_form": form, "action_error": error,
        "action_label": Action(open_action).label if open_action else "", "version": version,
        "first_channel": petitions[0].channel_label if petitions else "",
        "is_repeat": case.petition_count > 1,
        "query_code": portal_services.code_state(case, user),
        "draft": pending_draft(case) if case.status in OPEN_STATUSES else None,
        "casefile": casefile_state(case, user),
        "documents": case_documents(case, user),
        "may_deliver": any(code == Action.DELIVER for code, _ in action_buttons(case, user)),
    }


def casefile_state(case, user):
    """The case file part of an archived case's page: its row, and what this user may do."""
    row = casefile_for(case) if case.archived_at else None
    if row is None:
        return None
    return {"row": row, "may_download": casefile_download_refusal(case, user) is None,
            "may_rebuild": casefile_rebuild_refusal(case, user) is None}


def case_documents(case, user):
    """The documents of the case, each with its versions and whether `user` may open it
    (paperwork.documents_for), and its delivery records (the current one last). Who
    signed for a notice, and the scan of the receipt, name the petitioner: for an accuser
    (Art. 30) they are shown only to those who may know the accuser."""
    docs = paperwork.documents_for(user, case)
    history = delivery_history(d.pk for d in docs)
    shielded = not shows_identity(case, user)
    for d in docs:
        d.delivery_records = history.get(d.pk, [])
        d.delivered = next((r for r in d.delivery_records if r.superseded_at is None), None)
        for r in d.delivery_records if shielded else ():
            r.recipient = "（检举人信息不予显示）" if r.recipient else ""
            r.proof_name = "送达凭证（检举人信息不予显示）" if r.proof else ""
            r.shielded = True
    return docs


@login_required
@require_GET
def casefile_file(request, number, which):
    """Download the case file's PDF or its zip of originals (on the audit record)."""
    case = _get_case(request, number)
    try:
        field = casefile_download(case=case, actor=request.user, which=which, ip=client_ip(request))
    except ServiceError as exc:
        messages.error(request, zh(exc.message))
        return render(request, "web/case_detail.html", case_context(request, case), status=exc.status)
    kind = "application/pdf" if which == "pdf" else "application/zip"
    return serve_stored(field, f"{case.number}-电子案卷.{which}", kind)


@login_required
@require_http_methods(["POST"])
def casefile_rebuild(request, number):
    """重新生成案卷: queued for the background worker; the page shows it as waiting."""
    case = _get_case(request, number)
    try:
        rebuild_casefile(case=case, actor=request.user, ip=client_ip(request))
    except ServiceError as exc:
        messages.error(request, zh(exc.message))
        return render(request, "web/case_detail.html", case_context(request, case), status=exc.status)
    messages.success(request, "已提交重新生成电子案卷，稍后刷新本页查看结果")
    return redirect("web:case", number=case.number)


def delivery_proof(request, pk):
    """The scanned proof of a delivery (送达回证), for a user who may see its case."""
    record = Delivery.objects.filter(pk=pk).select_related("document").first()
    case = None
    if record is not None and record.proof and record.document.subject_type_id == ContentType.objects.get_for_model(Case).pk:
        case = Case.objects.visible_to(request.user).filter(pk=record.document.subject_id).first()
    if case is not None and not shows_identity(case, request.user):
        case = None  # the receipt an accuser signed names them (Art. 30)
    if case is None:
        raise Http404("找不到该送达凭证或无权查看")
    try:
        handle = record.proof.open("rb")
    except (FileNotFoundError, ValueError, OSError):
        raise Http404("送达凭证文件已丢失")
    audit(actor=request.user, action="delivery.proof_download", obj=record, detail={"case": case.number}, ip=client_ip(request))
    return FileResponse(handle, as_attachment=True, filename=record.proof_name or "送达凭证")


@login_required
@require_GET
def case_detail(request, number):
    case = _get_case(request, number)
    return render(request, "web/case_detail.html", case_context(request, case))


@login_required
@require_http_methods(["POST"])
def reveal_petitioner(request, number, pk):
    """显示完整信息: one petitioner's full ID number, phone and address, for a user whose
    role allows it, answered as the table row that replaces the masked one (htmx).
    Every reveal and every refusal is on the audit record."""
    case = _get_case(request, number)
    try:
        person = reveal(actor=request.user, case=case, petitioner_id=pk, ip=client_ip(request))
    except NotFound as error:
        raise Http404(zh(error.message))
    except (NotAllowed, Throttled) as error:
        return render(request, "web/_petitioner_revealed.html", {"refused": zh(error.message)}, status=error.status)
    return render(request, "web/_petitioner_revealed.html", {"p": person, "unreadable": unreadable_fields(person)})


@login_required
@require_http_methods(["GET", "POST"])
def case_action(request, number, action):
    """One action on a case: GET gives its form, POST performs it through the service.
    An htmx request gets the form partial; a plain request the whole case page."""
    if action not in ACTION_FORMS:
        raise Http404("未知操作")
    case = _get_case(request, number)
    user = request.user
    error, status, version = None, 200, None
    if request.method == "POST":
        form = action_form(action, case=case, actor=user, data=request.POST, files=request.FILES)
        # A form sent back with errors keeps the version it was opened at, so a page that
        # went stale still gets the Conflict answer however often it is resubmitted.
        version = request.POST.get("version", "")
        if form.is_valid():
            try:
                case = perform(case=case, action=action, actor=user, version=int(version) if version.isdigit() else None,
                               ip=client_ip(request), **action_params(form))
            except NotFound as exc:
                raise Http404(zh(exc.message))
            except ServiceError as exc:
                error, status = exc, exc.status
                loose = _place_errors(form, exc)
                error.loose = loose
            else:
                messages.success(request, f"已{Action(action).label}：{case.number}")
                url = reverse("web:case", args=[case.number])
                if request.htmx:
                    return HttpResponseClientRedirect(url)
                return redirect(url)
        else:
            status = 422
    else:
        form = action_form(action, case=case, actor=user)
        # A link may open the form with a field chosen (登记送达 of one document: ?document=12).
        form.initial.update({name: value for name, value in request.GET.items() if name in form.fields})
        if (why := refusal(case, action, user)) is not None:
            error, status, form = why, 200, None
    if request.htmx and not request.htmx.boosted:
        context = {"case": case, "open_action": action, "action_label": Action(action).label, "action_form": form,
                   "action_error": error, "version": version}
        return render(request, "web/_action_form.html", context, status=status)
    context = case_context(request, case, open_action=action, form=form, error=error, version=version)
    return render(request, "web/case_detail.html", context, status=status)


# --- 附件 -------------------------------------------------------------------------

INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp"}


@login_required
@require_GET
def attachment(request, pk):
    """Download one attachment, only for a user who may see its case."""
    item = (Attachment.objects.filter(pk=pk, case__in=Case.objects.visible_to(request.user))
            .select_related("case", "petition").first())
    # A petition's material, and a reply written to the accuser, stay with those who may
    # know who the accuser is (Art. 30): the shield is stored on the file and its petition,
    # so it holds in whatever case a merge has put them.
    if item is None or not item.shown_to(request.user) or (item.petition_id and not item.petition.shows_identity_to(request.user)):
        raise Http404("找不到该附件或无权查看")
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("附件文件已丢失")
    audit(actor=request.user, action="attachment.download", obj=item, detail={"case": item.case.number}, ip=client_ip(request))
    return FileResponse(handle, as_attachment=item.content_type not in INLINE_TYPES, filename=item.original_name,
                        content_type=item.content_type or "application/octet-stream")


# --- 查询码 -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def query_code(request, number):
    """Issue (or issue again) the query code of a case and show its printable receipt,
    once: only the code's keyed hash is kept. A GET goes back to the case page, so a
    reload or a link never makes a new code."""
    case = _get_case(request, number)
    if request.method == "GET":
        return redirect("web:case", number=case.number)
    try:
        receipt = portal_services.issue_code(case=case, actor=request.user, ip=client_ip(request),
                                             send_sms=request.POST.get("sms") == "on")
    except NotFound as exc:
        raise Http404(zh(exc.message))
    except ServiceError as exc:
        messages.error(request, zh(exc.message))
        return render(request, "web/case_detail.html", case_context(request, case), status=exc.status)
    # The receipt is the portal's, printed in Chinese whatever language the portal was
    # last read in on this browser.
    with translation.override(settings.LANGUAGE_CODE):
        return render(request, "web/query_code.html", {
            "receipt": receipt, "case": receipt.case, "limits": portal_info.time_limits(),
            "follow_url": portal_info.follow_address(request)})
