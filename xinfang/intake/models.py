from django.conf import settings
from django.db import models

from xinfang.cases.choices import Channel, Kind
from xinfang.lib.fields import EncryptedTextField, LookupHashField
from xinfang.org.choices import Level
from xinfang.org.models import identity_shown

from .choices import COLLECTIVE_HEADCOUNT, DocumentType, Sex


class Category(models.Model):
    """A subject of petitions in the office's two-level tree (土地征收 > 征地补偿)."""

    name = models.CharField("名称", max_length=60)
    parent = models.ForeignKey("self", verbose_name="上级类别", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    code = models.CharField("编码", max_length=16, unique=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "问题类别"
        verbose_name_plural = "问题类别"
        ordering = ["code"]

    def __str__(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name

    @property
    def top(self):
        return self.parent if self.parent_id else self


class Petition(models.Model):
    """One thing received: one letter, one visit (one batch of people), one online
    message, one call. It always belongs to a case: the first petition about a matter
    opens it, later ones join it as repeats."""

    case = models.ForeignKey("cases.Case", verbose_name="信访事项", on_delete=models.PROTECT, related_name="petitions")
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField("收到时间", db_index=True)
    receiving_unit = models.ForeignKey("org.Unit", verbose_name="接收单位", on_delete=models.PROTECT, related_name="received_petitions")
    receiving_level = models.CharField("接收层级", max_length=16, choices=Level.choices)
    title = models.CharField("标题", max_length=200)
    content = models.TextField("内容")
    kind = models.CharField("性质", max_length=16, choices=Kind.choices)
    category = models.ForeignKey(Category, verbose_name="问题类别", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    headcount = models.PositiveIntegerField("人数", default=1)
    is_repeat = models.BooleanField("重复信访", default=False)
    is_anonymous = models.BooleanField("匿名", default=False)
    is_cosigned = models.BooleanField("联名信", default=False)
    is_late_entry = models.BooleanField("补录", default=False, help_text="登记时距收到已超过补录期限，经登记人确认")
    agent_name = models.CharField("代办人", max_length=40, blank=True, help_text="信息员、代办员或人大代表代为登记时填写")
    agent_role = models.CharField("代办人身份", max_length=40, blank=True)
    referral_from = models.CharField("转送来源", max_length=100, blank=True)
    # The accuser shield (Art. 30), set at registration and never by a later move: who
    # brought an accusation is known only to this unit's staff and the discipline organs.
    shield_unit = models.ForeignKey("org.Unit", verbose_name="检举人身份可见单位", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", help_text="检举控告件：仅此单位与纪检监察机关可见检举人身份")
    # Who is accused, for an accusation (检举控告): the unit, and the office or post
    # concerned. The case never goes to that unit or below it (Art. 30).
    accused_unit = models.ForeignKey("org.Unit", verbose_name="被检举控告单位", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    accused_post = models.CharField("被检举控告职务或部门", max_length=100, blank=True, help_text="如：村主任、财务室")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField("登记时间", auto_now_add=True)
    # A staff client's Idempotency-Key (lib/idempotency.py): a retried registration
    # finds this petition instead of making a second one.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    fingerprint = models.CharField("内容摘要", max_length=64, blank=True)

    class Meta:
        verbose_name = "信访件"
        verbose_name_plural = "信访件"
        ordering = ["received_at", "id"]
        constraints = [models.UniqueConstraint(fields=["registered_by", "idempotency_key"], name="petition_idempotency_key")]

    def __str__(self):
        return self.title

    def shows_identity_to(self, user):
        return identity_shown(user, self.shield_unit_id)

    @property
    def is_collective(self):
        return self.channel == Channel.VISIT and self.headcount >= COLLECTIVE_HEADCOUNT


class Petitioner(models.Model):
    """A person who brought a petition (or co-signed it). Every field may be blank:
    anonymous letters are registered too."""

    petition = models.ForeignKey(Petition, verbose_name="信访件", on_delete=models.CASCADE, related_name="petitioners")
    name = models.CharField("姓名", max_length=40, blank=True)
    # Encrypted at rest (docs/security.md): the columns hold AES-GCM tokens, Python sees
    # the plain value. Exact lookups use the keyed hashes below, never these columns.
    document_type = models.CharField("证件类型", max_length=24, choices=DocumentType.choices, default=DocumentType.RESIDENT_ID)
    id_number = EncryptedTextField("证件号码", max_length=18, blank=True)
    phone = EncryptedTextField("联系电话", max_length=20, blank=True)
    address = EncryptedTextField("住址", max_length=200, blank=True)
    id_number_hash = LookupHashField("身份证号摘要", source="id_number", kind="id")
    phone_hash = LookupHashField("联系电话摘要", source="phone", kind="phone")
    is_representative = models.BooleanField("代表", default=False)
    # The petitioner declined the SMS that tell of each step of the case (cases/notices.py).
    sms_opt_out = models.BooleanField("不接收短信通知", default=False)
    # As the ledgers have them: the sex an 18-digit number states, else as entered; the
    # household registration (户籍地) as one of the deployment's places (a county,
    # township or village unit) when it is one, and always as one line of text: the
    # place's name as it was at registration, or as written for someone from elsewhere.
    sex = models.CharField("性别", max_length=8, choices=Sex.choices, blank=True)
    household_unit = models.ForeignKey("org.Unit", verbose_name="户籍地", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    household_place = models.CharField("户籍地名称", max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    HASHED = {"id_number": "id_number_hash", "phone": "phone_hash"}

    class Meta:
        verbose_name = "信访人"
        verbose_name_plural = "信访人"
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["id_number_hash"], name="petitioner_id_hash"),
                   models.Index(fields=["phone_hash"], name="petitioner_phone_hash")]

    def __str__(self):
        return self.name or "匿名"

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None:
            # A changed number must take its lookup hash with it.
            update_fields = set(update_fields) | {self.HASHED[f] for f in update_fields if f in self.HASHED}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def has_personal_data(self):
        return bool(self.id_number or self.phone or self.address)


def attachment_path(instance, filename):
    return f"attachments/{instance.case_id}/{instance.sha256[:16]}-{instance.original_name[-60:]}"


class Attachment(models.Model):
    """A file that came with a petition (a letter's scan, photos) or with a reply."""

    case = models.ForeignKey("cases.Case", verbose_name="信访事项", on_delete=models.PROTECT, related_name="attachments")
    petition = models.ForeignKey(Petition, verbose_name="信访件", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments")
    reply = models.ForeignKey("cases.Reply", verbose_name="答复", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_path, max_length=255)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    # Copied from its petition (or, for a reply to an accusation, the case's registering
    # unit) when stored, so that the file stays shielded wherever it is moved.
    shield_unit = models.ForeignKey("org.Unit", verbose_name="检举人身份可见单位", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self):
        return self.original_name

    def shown_to(self, user):
        return identity_shown(user, self.shield_unit_id)
