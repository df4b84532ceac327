"""Admin for the competitive tactics library (seeded, editable) and, read-mostly, the deals'
strategies and value propositions."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from wuwei.opportunities.models import (
    CompetitiveTactic,
    DealStrategy,
    DealTactic,
    ValueComparison,
    ValueProposition,
)


@admin.register(CompetitiveTactic)
class CompetitiveTacticAdmin(SimpleHistoryAdmin):
    list_display = ("strategy", "position", "title_en", "title_zh", "archived_at")
    list_filter = ("strategy", "archived_at")
    search_fields = ("title_en", "title_zh")
    readonly_fields = ("version", "created_at", "updated_at", "created_by")


@admin.register(DealStrategy)
class DealStrategyAdmin(SimpleHistoryAdmin):
    list_display = ("opportunity", "strategy", "suggested", "chosen_by", "chosen_at")
    list_filter = ("strategy",)
    raw_id_fields = ("opportunity", "chosen_by", "created_by")
    readonly_fields = ("version",)


@admin.register(DealTactic)
class DealTacticAdmin(SimpleHistoryAdmin):
    list_display = ("title", "opportunity", "status", "owner", "due", "activity", "archived_at")
    list_filter = ("status", "archived_at")
    raw_id_fields = ("opportunity", "tactic", "owner", "activity", "created_by")
    readonly_fields = ("version",)


@admin.register(ValueComparison)
class ValueComparisonAdmin(SimpleHistoryAdmin):
    list_display = ("opportunity", "dimension", "competitor", "rating", "note")
    list_filter = ("dimension",)
    raw_id_fields = ("opportunity", "competitor", "created_by")
    readonly_fields = ("version",)


@admin.register(ValueProposition)
class ValuePropositionAdmin(SimpleHistoryAdmin):
    list_display = ("opportunity", "updated_at")
    raw_id_fields = ("opportunity", "created_by")
    readonly_fields = ("version",)
