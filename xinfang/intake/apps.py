from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "xinfang.intake"
    label = "intake"
    verbose_name = "信访登记"

    def ready(self):
        from . import categories  # noqa: F401  (its signal handlers keep the tree fresh)
