from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from wuwei.opportunities.models import (
    Opportunity,
    OpportunityCompetitor,
    OpportunityMember,
    PartnerRegistration,
    ProductLine,
    StageHistory,
    StageTemplate,
)


class MemberInline(admin.TabularInline):
    model = OpportunityMember
    raw_id_fields = ("user",)
    extra = 0


class StageHistoryInline(admin.TabularInline):
    model = StageHistory
    readonly_fields = ("stage", "entered_at", "entered_by", "left_at", "left_by", "reason")
    extra = 0
    can_delete = False


@admin.register(Opportunity)
class OpportunityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "account", "amount", "stage", "grade", "track", "owner", "archived_at")
    list_filter = ("stage", "grade", "track", "archived_at")
    search_fields = ("name", "account__name")
    raw_id_fields = ("account", "owner", "team", "partner", "registration", "winning_competitor")
    readonly_fields = (
        "grade",
        "track",
        "stage",
        "stage_entered_at",
        "version",
        "created_at",
        "updated_at",
        "created_by",
    )
    inlines = [MemberInline, StageHistoryInline]


@admin.register(StageTemplate)
class StageTemplateAdmin(SimpleHistoryAdmin):
    """The sales process template (METHOD.md §4.1, §4.11): text is editable, stages are not."""

    list_display = ("number", "stage", "name_en", "name_zh")
    readonly_fields = ("stage", "number", "version", "created_at", "updated_at", "created_by")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProductLine)
class ProductLineAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "name_zh", "order", "archived_at")


@admin.register(OpportunityCompetitor)
class OpportunityCompetitorAdmin(SimpleHistoryAdmin):
    list_display = ("opportunity", "competitor", "is_primary")
    raw_id_fields = ("opportunity",)


@admin.register(PartnerRegistration)
class PartnerRegistrationAdmin(SimpleHistoryAdmin):
    list_display = ("partner", "account", "registered_on", "expires_on", "status", "conflict")
    list_filter = ("status",)
    raw_id_fields = ("account", "registered_by", "conflict")
