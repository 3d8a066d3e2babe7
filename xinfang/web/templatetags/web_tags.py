"""Small helpers for the pages: deadline badges, Bootstrap widgets, the Chinese half of
a service message."""

from django import forms, template
from django.conf import settings
from django.utils import timezone

from xinfang.cases.choices import Channel, GuidedProcedure, Outcome, RefuseBasis, Satisfaction, Status
from xinfang.cases.services import CORRECTABLE
from xinfang.documents.kinds import DeliveryChannel
from xinfang.lib.errors import for_page

register = template.Library()


@register.filter
def zh(message):
    """A service message ("中文 / English") as the staff pages show it: the Chinese
    half (the staff screens are in Chinese whatever the browser asks for)."""
    return for_page(message, "zh-hans")


@register.inclusion_tag("web/_deadline_badge.html")
def deadline_badge(case, today=None):
    """Red when overdue, orange when due within XINFANG_LIMITS["due_soon_days"], grey otherwise."""
    today = today or timezone.localdate()
    left = case.days_left(today)
    if left is None:
        return {"css": "", "text": ""}
    if left < 0:
        return {"css": "text-bg-danger", "text": f"超期{-left}天", "title": f"期限 {case.due_date:%Y-%m-%d}"}
    soon = settings.XINFANG_LIMITS["due_soon_days"]
    css = "badge-due-soon" if left <= soon else "text-bg-light border"
    text = "今日到期" if left == 0 else f"剩{left}天"
    return {"css": css, "text": text, "title": f"期限 {case.due_date:%Y-%m-%d}"}


STATUS_CSS = {
    "registered": "text-bg-secondary",
    "forwarded": "text-bg-info",
    "accepted": "text-bg-primary",
    "assigned": "text-bg-primary",
    "in_progress": "text-bg-primary",
    "reported": "text-bg-info",
    "replied": "text-bg-success",
    "evaluated": "text-bg-success",
    "closed": "text-bg-dark",
    "declined": "text-bg-dark",
    "refused": "text-bg-dark",
    "review": "text-bg-warning",
    "re_review": "text-bg-warning",
    "reviewed": "text-bg-success",
    "concluded": "text-bg-dark",
    "archived": "text-bg-light border",
    "voided": "text-bg-light border text-decoration-line-through",
}


@register.filter
def status_css(status):
    return STATUS_CSS.get(str(status), "text-bg-secondary")


def _widget_css(widget):
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return "form-check-input"
    if isinstance(widget, (forms.Select, forms.SelectMultiple)):
        return "form-select"
    return "form-control"


@register.filter
def bs(field, extra=""):
    """Render a bound field's widget with Bootstrap classes, marked invalid when it has errors."""
    widget = field.field.widget
    css = [widget.attrs.get("class", ""), _widget_css(widget), extra]
    attrs = {}
    if field.errors:
        css.append("is-invalid")
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    attrs["class"] = " ".join(c for c in css if c)
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


def _delivery_details(data):
    channel = dict(DeliveryChannel.choices).get(data.get("channel"), "")
    out = [f"{data.get('kind_label', '')} {data.get('number', '')}".strip(), f"{channel} {data.get('delivered_on', '')}".strip()]
    if data.get("corrected_from"):
        out.append(f"更正，原送达日期：{data['corrected_from']}")
    if data.get("by") == "petitioner":
        out.append("信访人网上查阅")
    if data.get("review_window_end"):
        out.append(f"申请复查截止：{data['review_window_end']}")
    if data.get("re_review_window_end"):
        out.append(f"申请复核截止：{data['re_review_window_end']}")
    return [x for x in out if x]


@register.filter
def event_details(event):
    """The facts an event's data holds, as short Chinese phrases for the timeline."""
    data = event.data or {}
    out = []
    if event.action == "deliver":
        return _delivery_details(data)
    if name := data.get("unit_name") or data.get("unit"):
        prefix = {"forward": "转送至", "assign": "主办", "review": "复查机关", "re_review": "复核机关", "assist": "协办单位"}.get(event.action, "单位")
        out.append(f"{prefix}：{name}")
    if data.get("assisting"):
        out.append("协办：" + "、".join(data["assisting"]))
    if data.get("to_unit"):
        out.append(f"退回至：{data['to_unit']}")
    if data.get("channel") in Channel.values:
        out.append(f"渠道：{Channel(data['channel']).label}")
    if data.get("decide_due") and not isinstance(data["decide_due"], list):
        out.append(f"受理告知期限：{data['decide_due']}")
    if data.get("handle_due") and not isinstance(data["handle_due"], list):
        out.append(f"办理期限：{data['handle_due']}")
    if data.get("days"):
        out.append(f"延长{data['days']}天（{data.get('from', '')} → {data.get('to', '')}）")
    if data.get("outcome") in Outcome.values:
        out.append(f"处理意见：{Outcome(data['outcome']).label}")
    if data.get("satisfaction") in Satisfaction.values:
        out.append(f"评价：{Satisfaction(data['satisfaction']).label}")
    if data.get("basis") in RefuseBasis.values:
        out.append(f"依据：{RefuseBasis(data['basis']).label}")
    if data.get("proper_channel"):
        out.append(f"告知途径：{data['proper_channel']}")
    if data.get("guided_procedure") in GuidedProcedure.values:
        out.append(f"导入程序：{GuidedProcedure(data['guided_procedure']).label}")
    if data.get("review_due"):
        out.append(f"复查答复期限：{data['review_due']}")
    if data.get("re_review_due"):
        out.append(f"复核答复期限：{data['re_review_due']}")
    if data.get("deliver_due"):
        out.append(f"答复送达期限：{data['deliver_due']}（送达后起算复查、复核期限）")
    if data.get("method"):
        out.append(f"方式：{data['method']}")
    if isinstance(data.get("changes"), dict):
        for name, (old, new) in data["changes"].items():
            label = CORRECTABLE.get(name, name)
            if name == "content":
                out.append(f"{label}：原为“{old[:60]}{'…' if len(old) > 60 else ''}”")
            else:
                out.append(f"{label}：{old or '（空）'} → {new or '（空）'}")
    if isinstance(data.get("decide_due"), list):
        out.append(f"受理告知期限：{data['decide_due'][0] or '—'} → {data['decide_due'][1]}")
    if isinstance(data.get("handle_due"), list):
        out.append(f"办理期限：{data['handle_due'][0] or '—'} → {data['handle_due'][1]}")
    if data.get("assist_due"):
        out.append(f"协办期限：{data['assist_due']}")
    if data.get("late") is True:
        out.append("逾期提交")
    if data.get("draft_id") and event.action == "sign":
        labels = {"outcome": "处理意见", "request_summary": "信访诉求", "facts": "查明事实", "opinion": "处理意见及理由",
                  "legal_basis": "法律政策依据", "remedy": "救济途径", "settlement": "调解或和解协议"}
        edited = [labels.get(name, name) for name in data.get("edited") or []]
        out.append("据拟办意见审签" + (f"，修改了{'、'.join(edited)}" if edited else "，未作修改"))
    if data.get("duplicate_of"):
        out.append(f"与 {data['duplicate_of']} 重复")
    if data.get("late_entry"):
        out.append("补录")
    return out


@register.filter
def status_label(code):
    return Status(code).label if code in Status.values else ""


@register.filter
def filesize(size):
    size = int(size or 0)
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


PETITIONER_CELLS = (("name",), ("document_type", "id_number"), ("sex",), ("phone",), ("household_unit", "household_place"),
                    ("address",))


@register.filter
def petitioner_cells(row):
    """A petitioner row's fields grouped by the cells of the register form's table."""
    return [[row[name] for name in cell] for cell in PETITIONER_CELLS]
