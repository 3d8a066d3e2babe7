from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "xinfang.api"
    label = "api"
    verbose_name = "接口"

    def ready(self):
        from . import signals  # noqa: F401  (tokens end with the password)
