from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from wuwei.accounts.models import Account


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "registration_number",
        "industry",
        "segment",
        "status",
        "owner",
        "team",
        "archived_at",
    )
    list_filter = ("industry", "segment", "status", "archived_at")
    search_fields = ("name", "registration_number")
    raw_id_fields = ("owner", "team", "parent", "members")
    readonly_fields = ("name_normalized", "version", "created_at", "updated_at", "created_by")
