from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NotificationPreference


class NotificationForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("Reminders and mentions"),
        choices=NotificationPreference.Delivery.choices,
        widget=forms.RadioSelect,
    )
