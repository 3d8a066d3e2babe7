from django.apps import AppConfig


class NlpConfig(AppConfig):
    name = "xinfang.nlp"
    label = "nlp"
    verbose_name = "中文文本智能"

    def ready(self):
        from . import signals  # noqa: F401  (connects the index maintenance)
