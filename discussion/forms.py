"""The comment form (with mentions and an evidence file) and the answer form. Every
refusal is a message in the reader's language; the text typed is kept."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from plans.formatting import long_date, long_datetime
from plans.forms import ListMultipleChoiceField

from . import files, permissions, selectors
from .models import Comment


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("PDF, HWP or office document, or an image."),
    )
    answers = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, task, **kwargs):
        self.task = task
        self.checked = None
        super().__init__(*args, **kwargs)

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError(_("Write something."))
        return body

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.checked = files.check_upload(upload)
        return upload

    def clean_answers(self):
        pk = self.cleaned_data.get("answers")
        if not pk:
            return None
        comment = Comment.objects.filter(pk=pk, task=self.task, answers__isnull=True).first()
        if comment is None:
            raise ValidationError(_("The comment you answered is not on this task."))
        return comment

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            "body": data["body"],
            "answers": data.get("answers"),
            "upload": data.get("file") or None,
            "checked": self.checked,
        }


class CommentForm(AnswerForm):
    body = forms.CharField(
        label=_("Comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Write @ and a person's user name to notify them, or pick them below."),
    )
    mention = ListMultipleChoiceField(
        label=_("Notify"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence_for = forms.ChoiceField(label=_("The file is evidence for"), required=False)

    field_order = ["body", "mention", "file", "evidence_for"]

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, task=task, **kwargs)
        self.fields["mention"].queryset = permissions.participants(task)
        self.fields["mention"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.updates, self.figures = selectors.evidence_targets(task)
        choices = [("", _("this comment"))]
        choices += [
            (
                f"update:{u.pk}",
                _("the update of %(date)s") % {"date": long_datetime(u.changed_at, get_language())},
            )
            for u in self.updates
        ]
        choices += [
            (
                f"figure:{m.pk}",
                _("the figure of %(indicator)s as of %(date)s")
                % {"indicator": m.indicator.name, "date": long_date(m.as_of, get_language())},
            )
            for m in self.figures
        ]
        self.fields["evidence_for"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("evidence_for") and not data.get("file"):
            self.add_error("file", _("Choose the file that is the evidence."))
        return data

    def changes(self) -> dict:
        target = self.cleaned_data.get("evidence_for") or ""
        kind, _sep, pk = target.partition(":")
        updates = {str(u.pk): u for u in self.updates}
        figures = {str(m.pk): m for m in self.figures}
        return {
            **super().changes(),
            "mention": list(self.cleaned_data.get("mention") or []),
            "status_update": updates.get(pk) if kind == "update" else None,
            "measurement": figures.get(pk) if kind == "figure" else None,
        }


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why (optional)"), max_length=300, required=False)
