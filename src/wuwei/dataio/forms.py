from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wuwei.dataio.models import ExportFormat, ImportKind, ImportMode


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("CSV or Excel file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.WUWEI_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB. Split it into smaller files.")
                % {"limit": settings.WUWEI_IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class ApplyForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How to import"),
        choices=ImportMode.choices,
        widget=forms.RadioSelect,
        initial=ImportMode.ALL,
    )


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices)
