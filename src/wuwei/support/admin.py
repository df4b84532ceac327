from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from wuwei.support.models import (
    Assignment,
    BudgetApproval,
    CreditSplit,
    LedgerEntry,
    LevelRate,
    PresalesRequest,
    Resource,
    StageOwner,
    StageScore,
)


@admin.register(LevelRate)
class LevelRateAdmin(SimpleHistoryAdmin):
    list_display = ("level", "day_rate", "archived_at")


@admin.register(Resource)
class ResourceAdmin(SimpleHistoryAdmin):
    list_display = ("user", "home_unit", "level", "capacity_days_per_week", "archived_at")
    list_filter = ("home_unit", "level")
    raw_id_fields = ("user",)


@admin.register(PresalesRequest)
class PresalesRequestAdmin(SimpleHistoryAdmin):
    list_display = ("id", "opportunity", "queue", "unit", "state", "effort_days", "start", "end")
    list_filter = ("state", "queue")
    raw_id_fields = ("opportunity", "requested_by", "warnings_confirmed_by")


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("id", "request", "resource", "start", "end", "days", "cost", "cancelled_at")
    raw_id_fields = ("request", "resource", "assigned_by")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are only ever appended by the services: viewable, never edited here."""

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


for model in (LedgerEntry, BudgetApproval, StageOwner, StageScore, CreditSplit):
    admin.site.register(model, ReadOnlyAdmin)
