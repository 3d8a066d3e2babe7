from django.apps import AppConfig


class CalendarConfig(AppConfig):
    # The label avoids a clash with Python's stdlib "calendar" in app registries and
    # table names (legal_calendar_officialday).
    name = "xinfang.calendar"
    label = "legal_calendar"
    verbose_name = "节假日安排"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import services

        services.connect_signals()
