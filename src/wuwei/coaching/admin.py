from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from wuwei.coaching.models import CoachingAction, CoachingReview


class ActionInline(admin.TabularInline):
    model = CoachingAction
    fields = ("title", "owner", "due", "status", "done_at")
    raw_id_fields = ("owner",)
    extra = 0


@admin.register(CoachingReview)
class CoachingReviewAdmin(SimpleHistoryAdmin):
    list_display = ("id", "opportunity", "reviewer", "reviewed_at", "win_rate_at_review")
    list_filter = ("stage_at_review",)
    raw_id_fields = ("opportunity", "reviewer", "created_by")
    inlines = [ActionInline]


@admin.register(CoachingAction)
class CoachingActionAdmin(SimpleHistoryAdmin):
    list_display = ("id", "title", "opportunity", "owner", "due", "status")
    list_filter = ("status",)
    raw_id_fields = ("review", "opportunity", "owner", "created_by")
