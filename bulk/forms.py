from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Edited workbook (.xlsx)"),
        help_text=_("The file downloaded above, with status, progress, notes and figures edited."),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > settings.BULK_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s.")
                % {"size": filesizeformat(settings.BULK_MAX_UPLOAD_BYTES)}
            )
        return file
