from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from wuwei.competitors.models import (
    Competitor,
    CompetitorEvent,
    CompetitorInsight,
    CompetitorPartner,
    CompetitorPrice,
    CompetitorRelation,
)


class InsightInline(admin.TabularInline):
    model = CompetitorInsight
    fields = ("kind", "text")
    extra = 0


class PartnerInline(admin.TabularInline):
    model = CompetitorPartner
    fields = ("name", "role", "notes")
    extra = 0


class RelationInline(admin.TabularInline):
    model = CompetitorRelation
    fields = ("account", "is_incumbent", "relationship_status", "notes")
    raw_id_fields = ("account",)
    extra = 0


class EventInline(admin.TabularInline):
    model = CompetitorEvent
    fields = ("happened_on", "title", "description", "account")
    raw_id_fields = ("account",)
    extra = 0


@admin.register(Competitor)
class CompetitorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "headquarters", "website", "archived_at")
    search_fields = ("name",)
    inlines = [InsightInline, PartnerInline, RelationInline, EventInline]


@admin.register(CompetitorPrice)
class CompetitorPriceAdmin(SimpleHistoryAdmin):
    list_display = ("competitor", "price", "currency", "quoted_on", "opportunity", "product")
    list_filter = ("competitor",)
    raw_id_fields = ("opportunity",)
