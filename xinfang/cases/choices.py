from django.db import models


class Channel(models.TextChoices):
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    ONLINE = "online", "网上信访"
    PHONE = "phone", "来电"
    DEPUTY = "deputy", "人大代表转交"
    REFERRAL = "referral", "上级转送"


class Kind(models.TextChoices):
    """The three kinds of matter of the 2022 regulation; the kind decides the path."""

    SUGGESTION = "suggestion", "建议意见"
    ACCUSATION = "accusation", "检举控告"
    GRIEVANCE = "grievance", "申诉求决"


class Status(models.TextChoices):
    REGISTERED = "registered", "已登记"
    FORWARDED = "forwarded", "已转送"
    ACCEPTED = "accepted", "已受理"
    DECLINED = "declined", "不予受理"
    REFUSED = "refused", "不再受理"
    ASSIGNED = "assigned", "已交办"
    IN_PROGRESS = "in_progress", "办理中"
    REPLIED = "replied", "已答复"
    EVALUATED = "evaluated", "已评价"
    CLOSED = "closed", "已办结"
    REVIEW = "review", "复查中"
    REVIEWED = "reviewed", "已复查"
    RE_REVIEW = "re_review", "复核中"
    CONCLUDED = "concluded", "已终结"
    ARCHIVED = "archived", "已归档"
    MERGED = "merged", "已并案"
    # A duplicate or mistaken registration, taken out of every list, queue and figure;
    # its number stays used (cases.services._void).
    VOIDED = "voided", "已作废"


# Statuses in which some unit owes the next move, against a legal deadline.
OPEN_STATUSES = (
    Status.REGISTERED,
    Status.FORWARDED,
    Status.ACCEPTED,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.REVIEW,
    Status.RE_REVIEW,
)


class Action(models.TextChoices):
    REGISTER = "register", "登记"
    REPEAT = "repeat", "重复信访"
    ACCEPT = "accept", "受理"
    DECLINE = "decline", "不予受理"
    REFUSE = "refuse", "不再受理"
    FORWARD = "forward", "转送"
    ASSIGN = "assign", "交办"
    RETURN = "return", "退回"
    START = "start", "签收办理"
    EXTEND = "extend", "延期"
    REPLY = "reply", "答复"
    EVALUATE = "evaluate", "满意度评价"
    CLOSE = "close", "办结"
    REVIEW = "review", "申请复查"
    RE_REVIEW = "re_review", "申请复核"
    CONCLUDE = "conclude", "终结"
    FOLLOW_UP = "follow_up", "回访"
    ARCHIVE = "archive", "归档"
    NOTE = "note", "备注"
    MERGE = "merge", "并案"
    SPLIT = "split", "撤销并案"
    CORRECT = "correct", "更正登记"
    VOID = "void", "作废"
    ASSIST = "assist", "协办意见"
    PROGRESS = "progress", "办理进展"
    DRAFT = "draft", "拟办"
    SIGN = "sign", "审签"
    DELIVER = "deliver", "送达"


class DueKind(models.TextChoices):
    DECIDE = "decide", "受理告知期限"
    HANDLE = "handle", "办理期限"
    REVIEW_ANSWER = "review_answer", "复查答复期限"
    RE_REVIEW_ANSWER = "re_review_answer", "复核答复期限"
    # The written answer is to reach the petitioner within deliver_days of the reply; the
    # review window opens only on delivery (Arts. 35-36: 自收到书面答复之日起).
    DELIVER = "deliver", "答复送达期限"


class Outcome(models.TextChoices):
    SUPPORT = "support", "支持"
    EXPLAIN = "explain", "解释"
    NOT_SUPPORT = "not_support", "不支持"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    NOT_SATISFIED = "not_satisfied", "不满意"


class Stage(models.TextChoices):
    HANDLING = "handling", "办理"
    REVIEW = "review", "复查"
    RE_REVIEW = "re_review", "复核"


class GuidedProcedure(models.TextChoices):
    """Statutory procedures a grievance may be guided into (诉访分离, Art. 28/31)."""

    LITIGATION = "litigation", "诉讼"
    ARBITRATION = "arbitration", "仲裁"
    RECONSIDERATION = "reconsideration", "行政复议"
    PARTY_APPEAL = "party_appeal", "党员申诉"
    DISCIPLINE = "discipline", "纪检监察"
    OTHER = "other", "其他法定途径"


class RefuseBasis(models.TextChoices):
    SAME_FACTS = "art36", "同一事实和理由已经复核终结（第三十六条）"
    HIGHER_WHILE_PENDING = "art19", "办理期间向上级机关再次提出（第十九条）"


class MergeReason(models.TextChoices):
    """Why two cases are one matter: the same person again about the same matter (重复信访),
    the same letter sent to several offices (一信多投), or different people raising one
    matter."""

    REPEAT = "repeat", "重复信访"
    SAME_LETTER = "same_letter", "一信多投"
    SAME_MATTER = "same_matter", "同一事项"
