from django.db import models


class SmsStatus(models.TextChoices):
    NONE = "none", "未发送（未留手机号）"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"
