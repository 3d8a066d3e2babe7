from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public site (网上信访): submit, follow by query code, evaluate, ask for review."""

    name = "xinfang.portal"
    label = "portal"
    verbose_name = "网上信访"
