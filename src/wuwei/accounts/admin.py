from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from wuwei.accounts.models import (
    Account,
    AccountFieldDefinition,
    AccountGrading,
    AccountPlan,
    OwnershipConflict,
    Tactic,
)


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "registration_number",
        "industry",
        "segment",
        "ka_profile",
        "grade",
        "account_class",
        "strategy",
        "status",
        "owner",
        "team",
        "archived_at",
    )
    list_filter = ("industry", "segment", "status", "grade", "account_class", "archived_at")
    search_fields = ("name", "registration_number")
    raw_id_fields = ("owner", "team", "parent", "members", "region_owner", "industry_owner")
    readonly_fields = ("name_normalized", "version", "created_at", "updated_at", "created_by")


@admin.register(Tactic)
class TacticAdmin(SimpleHistoryAdmin):
    list_display = ("strategy", "position", "title_zh", "title_en", "archived_at")
    list_filter = ("strategy", "archived_at")
    search_fields = ("title_zh", "title_en")


@admin.register(AccountGrading)
class AccountGradingAdmin(admin.ModelAdmin):
    list_display = ("account", "score", "grade", "account_class", "graded_by", "created_at")
    raw_id_fields = ("account", "graded_by")


@admin.register(AccountPlan)
class AccountPlanAdmin(SimpleHistoryAdmin):
    list_display = ("account", "year", "strategy")
    raw_id_fields = ("account",)


@admin.register(OwnershipConflict)
class ConflictAdmin(SimpleHistoryAdmin):
    list_display = ("summary", "kind", "status", "account", "raised_by", "decided_by")
    list_filter = ("kind", "status")
    raw_id_fields = ("account", "other_account", "opportunity", "raised_by", "decided_by")


@admin.register(AccountFieldDefinition)
class AccountFieldDefinitionAdmin(SimpleHistoryAdmin):
    list_display = ("key", "label_en", "label_zh", "kind", "is_required", "position", "archived_at")
    list_editable = ("position",)
    readonly_fields = ("version", "created_at", "updated_at", "created_by")
