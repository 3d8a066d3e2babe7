from django.contrib import admin

from .models import CalendarYear, OfficialDay


@admin.register(OfficialDay)
class OfficialDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "name", "created_at")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)
    ordering = ("date",)

    @admin.display(description="星期")
    def weekday(self, obj):
        return "一二三四五六日"[obj.date.weekday()]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "complete", "note")
    list_filter = ("complete",)
    search_fields = ("note",)
    ordering = ("-year",)
