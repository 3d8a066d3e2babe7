from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "xinfang.notify"
    label = "notify"
    verbose_name = "通知与外发消息"
    default_auto_field = "django.db.models.BigAutoField"
