from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "xinfang.org"
    label = "org"
    verbose_name = "单位与人员"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from xinfang.lib.text import install_form_cleaning

        from . import signals  # noqa: F401  (roles_stamp follows group membership)
        from .middleware import fresh_login

        user_logged_in.connect(fresh_login, dispatch_uid="org_fresh_login")
        # Text that cannot go into a file is cleaned at every form's door (lib/text.py).
        install_form_cleaning()
