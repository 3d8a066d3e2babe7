"""The audit record as CSV or Excel, for the filters the auditor chose. The file format
and the formula guard are xinfang.lib.tabular's, shared with the case ledger."""

import json

from django.utils import timezone

from xinfang.lib import tabular

from .forms import action_label

HEADER = ["序号", "时间", "操作人账号", "操作人姓名", "操作", "操作说明", "对象类型", "对象标识", "来源地址", "内容", "摘要"]
WIDTHS = [8, 20, 14, 10, 22, 20, 16, 12, 16, 50, 20]


def rows(queryset):
    for e in queryset.select_related("actor").order_by("seq").iterator(chunk_size=2000):
        actor = e.actor
        yield [e.seq, timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), actor.username if actor else "",
               actor.display_name if actor else "", e.action, action_label(e.action), e.object_type, e.object_id, e.ip or "",
               json.dumps(e.detail, ensure_ascii=False, sort_keys=True) if e.detail else "", e.hash]


def csv_stream(queryset):
    return tabular.csv_stream(HEADER, rows(queryset))


def xlsx_bytes(queryset):
    return tabular.xlsx_bytes(HEADER, rows(queryset), sheet="审计记录", widths=WIDTHS)
