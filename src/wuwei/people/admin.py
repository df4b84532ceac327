from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from wuwei.people.models import Contact


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ("name", "title", "department", "account", "archived_at")
    list_filter = ("archived_at",)
    search_fields = ("name", "title", "email", "account__name")
    raw_id_fields = ("account", "reports_to")
    readonly_fields = ("version", "created_at", "updated_at", "created_by")
