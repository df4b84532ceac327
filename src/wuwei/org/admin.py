from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from wuwei.org import services
from wuwei.org.models import ApiToken, Team, User, UserRole


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "segment", "parent", "path")
    list_filter = ("kind", "segment")
    search_fields = ("name",)
    readonly_fields = ("path", "version", "created_at", "updated_at", "archived_at")

    def save_model(self, request, obj, form, change):
        if change:
            changes = {f: form.cleaned_data[f] for f in form.changed_data}
            services.team_update(
                user=request.user,
                team=Team.objects.get(pk=obj.pk),
                expected_version=obj.version,
                changes=changes,
            )
        else:
            created = services.team_create(
                user=request.user,
                name=obj.name,
                kind=obj.kind,
                parent=obj.parent,
                segment=obj.segment,
            )
            obj.pk, obj.path = created.pk, created.path


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1
    verbose_name = _("role")


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "display_name", "team", "is_active", "last_login")
    list_filter = ("is_active", "team", "role_links__role")
    search_fields = ("username", "display_name", "email")
    inlines = [UserRoleInline]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Wuwei"), {"fields": ("display_name", "team", "language")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "name", "prefix")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False  # tokens are created by the user (API) or `wuwei token create`
