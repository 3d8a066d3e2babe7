from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "xinfang.org"
    label = "org"
    verbose_name = "单位与人员"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from xinfang.lib.text import install_form_cleaning

        from . import signals  # noqa: F401  (roles_stamp follows group membership)
        from .middleware import fresh_login

        user_logged_in.connect(fresh_login, dispatch_uid="org_fresh_login")
        # Text that cannot go into a file is cleaned at every form's door (lib/text.py).
        install_form_cleaning()
        post_migrate.connect(_sync_role_permissions, dispatch_uid="org_role_permissions")


def _sync_role_permissions(sender, app_config=None, using="default", apps=None, **kwargs):
    """After the last app's migrations (and their permissions), the roles' groups get the
    permissions of choices.ROLE_PERMISSIONS."""
    from django.apps import apps as registry
    from django.contrib.auth.management import create_permissions

    if app_config is None or app_config.label != list(registry.get_app_configs())[-1].label:
        return
    for config in registry.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    from .services import sync_role_permissions

    sync_role_permissions(using=using)
