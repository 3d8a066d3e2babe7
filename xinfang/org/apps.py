from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "xinfang.org"
    label = "org"
    verbose_name = "单位与人员"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import signals  # noqa: F401  (roles_stamp follows group membership)
        from .middleware import fresh_login

        user_logged_in.connect(fresh_login, dispatch_uid="org_fresh_login")
