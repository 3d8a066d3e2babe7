from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "xinfang.documents"
    label = "documents"
    verbose_name = "文书与案卷"
    default_auto_field = "django.db.models.BigAutoField"
