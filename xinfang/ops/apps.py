from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: backup and restore of the database and the attached files."""

    name = "xinfang.ops"
    label = "ops"
    verbose_name = "运维"
