from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from wuwei.core.config import parse_method_config
from wuwei.core.errors import ValidationFailed
from wuwei.core.models import MethodSettings
from wuwei.core.services import next_version
from wuwei.methodology.config import MethodConfig


class MethodSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = MethodSettings
        fields = ["data"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.initial.get("data"):
            self.initial["data"] = MethodConfig().to_dict()
        self.fields["data"].help_text = _(
            "The whole method configuration as JSON. Defaults follow the Wuwei method; "
            "grading weights must sum to 1."
        )

    def clean_data(self) -> Any:
        data = self.cleaned_data["data"]
        if not isinstance(data, dict):
            raise ValidationError(_("The configuration must be a JSON object."))
        try:
            return parse_method_config(data).to_dict()
        except ValidationFailed as exc:
            raise ValidationError([f"{f}: {m}" if f else m for f, m in exc.errors]) from None


@admin.register(MethodSettings)
class MethodSettingsAdmin(SimpleHistoryAdmin):
    form = MethodSettingsForm
    list_display = ("__str__", "updated_at", "updated_by")

    def has_add_permission(self, request: Any) -> bool:
        return not MethodSettings.objects.exists()

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def save_model(self, request: Any, obj: MethodSettings, form: Any, change: bool) -> None:
        if change:
            next_version(obj)
        obj.pk = 1
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
