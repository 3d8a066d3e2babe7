"""Admin of the supervision app: the review checklist (评查项目) is deployment-editable
here; reviews and accountability records change only through their services."""

from django.contrib import admin

from .models import ReviewItem


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "max_score", "weight", "sort_order", "active")
    list_editable = ("max_score", "weight", "sort_order", "active")
    search_fields = ("name", "code")
    ordering = ("sort_order", "id")
