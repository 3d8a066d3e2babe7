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
    # An assigned case (交办) whose lead unit has reported its result: the assigning unit
    # owes the review of the report (accept it, or send it back for more work).
    REPORTED = "reported", "待审核"
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
    Status.REPORTED,
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
    # Report-back on an assigned case (交办, Art. 23): the lead unit reports its result
    # (办理情况报告); the assigning unit accepts it (审核通过) or sends it back (退回补办).
    REPORT = "report", "报送办理结果"
    APPROVE = "approve", "审核通过"
    SEND_BACK = "send_back", "退回补办"
    # A step of a supervision item (督办, supervision.items): opened, reported, accepted,
    # sent back, raised, cancelled; the event's data says which (data["step"]).
    SUPERVISE = "supervise", "督办"


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


# --- follow-through (cases/obligations.py) --------------------------------------------


class ObligationKind(models.TextChoices):
    """What a unit owes by a date and must report on: one mechanism for all of them."""

    REPORT_BACK = "report_back", "交办反馈"
    SUPERVISION = "supervision", "督办"
    INSTRUCTION = "instruction", "领导批示"
    DECISION = "decision", "会议决定"


class ObligationStatus(models.TextChoices):
    OPEN = "open", "待办理"
    REPORTED = "reported", "待审核"
    ACCEPTED = "accepted", "已办结"
    CANCELLED = "cancelled", "已撤销"


# Obligations some unit still owes something on: its work, or its creditor's review.
OBLIGATION_OPEN = (ObligationStatus.OPEN, ObligationStatus.REPORTED)


class SupervisionLevel(models.TextChoices):
    """督办级别, lowest first. The case shows the highest of its open obligations."""

    GENERAL = "general", "一般督办"
    KEY = "key", "重点督办"
    LISTED = "listed", "挂牌督办"


LEVEL_RANK = {"": 0, SupervisionLevel.GENERAL: 1, SupervisionLevel.KEY: 2, SupervisionLevel.LISTED: 3}


class EntryKind(models.TextChoices):
    """One line of an obligation's own record."""

    OPENED = "opened", "立项"
    PROGRESS = "progress", "进展报告"
    RESULT = "result", "办理结果报告"
    ACCEPTED = "accepted", "审核通过"
    SENT_BACK = "sent_back", "退回补办"
    REMINDED = "reminded", "催办"
    ESCALATED = "escalated", "提级督办"
    CANCELLED = "cancelled", "撤销"
