from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from wuwei.opportunities.models import Opportunity


@admin.register(Opportunity)
class OpportunityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "account", "amount", "stage", "grade", "track", "owner", "archived_at")
    list_filter = ("stage", "grade", "track", "archived_at")
    search_fields = ("name", "account__name")
    raw_id_fields = ("account", "owner", "team", "partner", "members")
    readonly_fields = ("grade", "track", "version", "created_at", "updated_at", "created_by")
