"""The placeholders each kind of document may use, each with what it holds (Chinese, as
the template page shows them). Declared once: the shipped defaults use them, an uploaded
template is checked against them, the sample context of a preview fills them, and the
apps that issue documents fill them (cases/paperwork.py for the case's notices; the
supervision and analytics apps for theirs)."""

from .kinds import DocKind

K = DocKind

# Every document has these: who issues it, its number and date.
COMMON = {
    "unit_name": "制发单位名称（红头、落款）",
    "doc_number": "文号",
    "issue_date_cn": "成文日期（中文数字，如二〇二六年十二月三日）",
}

# What every document about a case knows of it.
CASE = {
    "case_number": "信访事项编号",
    "petitioner_name": "信访人姓名（多人时为全体或代表，顿号分隔）",
    "received_date_cn": "收到信访事项日期（中文）",
    "request_summary": "信访事项（诉求摘要）",
}

FIELDS = {
    K.ACCEPT_NOTICE: {**COMMON, **CASE,
                      "handle_due_cn": "办理期限届满日（中文）",
                      "handle_days": "办理期限天数",
                      "legal_basis": "法律依据"},
    K.DECLINE_NOTICE: {**COMMON, **CASE,
                       "decline_reason": "不予受理理由",
                       "proper_channel": "应当通过的途径（告知的法定途径）",
                       "legal_basis": "法律依据"},
    K.FORWARD_NOTICE: {**COMMON, **CASE,
                       "to_unit_name": "转送至的单位",
                       "legal_basis": "法律依据"},
    K.EXTENSION_NOTICE: {**COMMON, **CASE,
                         "extension_days": "延长天数",
                         "extension_reason": "延期理由",
                         "handle_due_cn": "延长后的办理期限届满日（中文）",
                         "legal_basis": "法律依据"},
    K.OPINION: {**COMMON, **CASE,
                "facts": "查明的事实",
                "opinion": "处理意见",
                "outcome": "处理结果（支持、解释、不予支持）",
                "legal_basis": "法律依据",
                "remedy": "救济途径（不服时如何请求复查、复核）"},
    K.REFUSE_NOTICE: {**COMMON, **CASE,
                      "refuse_basis": "不再受理的依据",
                      "decline_reason": "不再受理的理由",
                      "legal_basis": "法律依据"},
    K.ASSIGN_FORM: {**COMMON, **CASE,
                    "to_unit_name": "主办单位",
                    "assisting_units": "协办单位",
                    "content": "信访内容",
                    "handle_due_cn": "办理期限（中文）",
                    "note": "交办要求"},
    K.FORWARD_FORM: {**COMMON, **CASE,
                     "to_unit_name": "接收单位",
                     "content": "信访内容",
                     "decide_due_cn": "受理告知期限（中文）",
                     "note": "转送说明"},
    K.SUPERVISE_FORM: {**COMMON,
                       "case_number": "信访事项编号",
                       "request_summary": "督办事项",
                       "to_unit_name": "被督办单位",
                       "level": "督办级别（一般督办、重点督办、挂牌督办）",
                       "responsible_name": "责任人（可空）",
                       "reason": "督办原因（可空）",
                       "requirements": "督办要求",
                       "reply_due_cn": "报告办理情况的期限（中文）"},
    K.REMINDER_FORM: {**COMMON,
                      "case_number": "信访事项编号",
                      "request_summary": "催办事项",
                      "to_unit_name": "被催办单位",
                      "handle_due_cn": "原办理期限（中文）",
                      "reason": "催办原因",
                      "reply_due_cn": "报告办理情况的期限（中文）"},
    K.BULLETIN: {**COMMON,
                 "title": "通报标题",
                 "to_unit_name": "主送单位",
                 "body": "通报正文",
                 "requirements": "工作要求"},
    K.MONTHLY_ANALYSIS: {**COMMON,
                         "period": "分析期间（如二〇二六年十一月）",
                         "to_unit_name": "主送单位",
                         "summary": "总体情况",
                         "body": "分析正文",
                         "suggestions": "对策建议"},
}
# The three written opinions share their fields (Arts. 32, 35, 36).
FIELDS[K.REVIEW_OPINION] = dict(FIELDS[K.OPINION])
FIELDS[K.RE_REVIEW_OPINION] = dict(FIELDS[K.OPINION])

assert set(FIELDS) == set(DocKind.values)  # noqa: S101 - a kind without fields is a mistake of this table


def allowed(kind):
    """The placeholder names a template of `kind` may use, with their descriptions."""
    return FIELDS[kind]


def sample_context(kind):
    """A made-up case filling every field of `kind`: what a preview renders."""
    sample = {
        "unit_name": "安宁县信访局", "doc_number": "安宁县信访局信告〔2026〕1号", "issue_date_cn": "二〇二六年十二月三日",
        "case_number": "341122-XFJ-2026-00001", "petitioner_name": "刘某某", "received_date_cn": "二〇二六年十一月二十日",
        "request_summary": "承包地被征收后补偿款未发放到位的问题", "handle_due_cn": "二〇二七年一月十九日", "handle_days": 60,
        "legal_basis": "《信访工作条例》第二十二条", "decline_reason": "该事项应当通过诉讼途径解决",
        "proper_channel": "向安宁县人民法院提起诉讼", "to_unit_name": "安宁县自然资源局", "extension_days": 30,
        "extension_reason": "情况复杂，需要进一步调查核实", "facts": "补偿款已于本年度拨付至乡财政所，尚未发放到户。",
        "opinion": "责成青山乡人民政府于三十日内将补偿款发放到户。", "outcome": "支持",
        "remedy": "如不服本处理意见，可自收到本意见书之日起30日内请求原办理机关的上一级机关复查。",
        "refuse_basis": "《信访工作条例》第三十六条", "assisting_units": "青山乡人民政府", "content": "本人承包地于去年被征收，补偿款至今未发放到位。",
        "note": "请按期办理并书面答复信访人。", "decide_due_cn": "二〇二六年十二月十八日", "reason": "超过办理期限未办结",
        "requirements": "请于期限内报告办理情况。", "level": "重点督办", "responsible_name": "郑承办", "reply_due_cn": "二〇二六年十二月十日", "title": "关于信访事项办理情况的通报",
        "body": "本月共受理信访事项一百二十件，按期办结率百分之九十五。", "period": "二〇二六年十一月",
        "summary": "本月信访总量环比下降。", "suggestions": "加强初信初访办理。",
    }
    return {name: sample.get(name, description) for name, description in FIELDS[kind].items()}
