"""The kinds of written document the system issues, and what each is for.

Which step of a case issues which kind, and the fields filled into it, are the business
of the app that owns the step (cases for the notices of the case itself, supervision for
督办单/催办单/通报, analytics for the monthly analysis); this module only names the kinds,
so that templates, numbering and delivery can be kept once for all of them."""

from django.db import models


class DocKind(models.TextChoices):
    # To the petitioner (Arts. 22-23, 32, 34-36): each has a delivery record (送达).
    ACCEPT_NOTICE = "accept_notice", "受理告知书"
    DECLINE_NOTICE = "decline_notice", "不予受理告知书"
    FORWARD_NOTICE = "forward_notice", "转送告知书"
    EXTENSION_NOTICE = "extension_notice", "延期告知书"
    OPINION = "opinion", "信访处理意见书"
    REVIEW_OPINION = "review_opinion", "复查意见书"
    RE_REVIEW_OPINION = "re_review_opinion", "复核意见书"
    REFUSE_NOTICE = "refuse_notice", "不再受理告知书"
    # Inside the administration: they go to the receiving or supervised unit.
    ASSIGN_FORM = "assign_form", "交办单"
    FORWARD_FORM = "forward_form", "转送单"
    SUPERVISE_FORM = "supervise_form", "督办单"
    REMINDER_FORM = "reminder_form", "催办单"
    BULLETIN = "bulletin", "通报"
    MONTHLY_ANALYSIS = "monthly_analysis", "信访情况分析"


# Kinds meant for the petitioner: delivered, and the review windows count from delivery.
FOR_PETITIONER = frozenset({
    DocKind.ACCEPT_NOTICE, DocKind.DECLINE_NOTICE, DocKind.FORWARD_NOTICE, DocKind.EXTENSION_NOTICE,
    DocKind.OPINION, DocKind.REVIEW_OPINION, DocKind.RE_REVIEW_OPINION, DocKind.REFUSE_NOTICE,
})

# The short word of each kind in its document number (文号): 安信告〔2026〕12号.
SERIES = {
    DocKind.ACCEPT_NOTICE: "告", DocKind.DECLINE_NOTICE: "告", DocKind.FORWARD_NOTICE: "告",
    DocKind.EXTENSION_NOTICE: "告", DocKind.REFUSE_NOTICE: "告",
    DocKind.OPINION: "复", DocKind.REVIEW_OPINION: "复查", DocKind.RE_REVIEW_OPINION: "复核",
    DocKind.ASSIGN_FORM: "交", DocKind.FORWARD_FORM: "转",
    DocKind.SUPERVISE_FORM: "督", DocKind.REMINDER_FORM: "催", DocKind.BULLETIN: "通报",
    DocKind.MONTHLY_ANALYSIS: "析",
}


class DeliveryChannel(models.TextChoices):
    ONLINE = "online", "网上送达"  # published on the follow page, and an SMS sent
    POST = "post", "邮寄送达"  # mailed; the delivery receipt (送达回证) scanned as proof
    IN_PERSON = "in_person", "直接送达"  # handed over and signed for
    ANNOUNCED = "announced", "公告送达"  # when no other way reaches the petitioner


class VersionSource(models.TextChoices):
    GENERATED = "generated", "系统生成"
    EDITED = "edited", "修改稿"
    SCANNED = "scanned", "签章扫描件"


class Retention(models.TextChoices):
    """保管期限 of an archived case file."""

    PERMANENT = "permanent", "永久"
    LONG = "30y", "30年"
    SHORT = "10y", "10年"
